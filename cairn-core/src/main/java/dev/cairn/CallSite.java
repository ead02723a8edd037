package dev.cairn;

/** Names the line of the caller's code that called into Cairn, for messages about transactions. */
final class CallSite {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private CallSite() {}

    /** The first frame below the given API class: the caller's {@code Class.method(File.java:line)}. */
    static String outside(Class<?> api) {
        String apiName = api.getName();
        return WALKER.walk(frames -> frames
                .dropWhile(f -> !f.getClassName().equals(apiName))
                .dropWhile(f -> f.getClassName().equals(apiName))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                        + f.getLineNumber() + ")")
                .orElse("an unknown caller"));
    }
}
