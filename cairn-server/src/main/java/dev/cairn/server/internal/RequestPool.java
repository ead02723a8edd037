package dev.cairn.server.internal;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that serve exchanges: an idle thread takes a new exchange first, a new thread starts only when none is
 * idle, up to the limit, and beyond it exchanges wait in line (the JDK's dispatcher has no answer for a refused one).
 * Threads idle for a minute end.
 *
 * <p>A plain {@link ThreadPoolExecutor} cannot do this: with as many core threads as the limit it starts a new thread
 * for each of the first {@code limit} exchanges even while others sit idle, and then hands exchanges round the whole
 * pool, so each request lands on a thread whose stack and allocation buffer are cold; with fewer core threads and an
 * unbounded queue it never grows past them, and a few live tails would starve every other request.
 */
public final class RequestPool extends ThreadPoolExecutor {
    public RequestPool(int limit, String name) {
        super(0, limit, 60, TimeUnit.SECONDS, new HandOff(), daemons(name), (exchange, pool) -> {
            // Every thread is busy and the limit is reached: the exchange waits for the next thread that frees up.
            if (pool.isShutdown()) {
                throw new RejectedExecutionException("the server's request pool is shut down");
            }
            ((HandOff) pool.getQueue()).line(exchange);
        });
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Accepts an exchange from the pool only when an idle thread takes it at once; otherwise the pool starts a
     * thread, or, at its limit, puts the exchange in line through its rejection handler.
     */
    private static final class HandOff extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable exchange) {
            return tryTransfer(exchange);
        }

        void line(Runnable exchange) {
            super.offer(exchange);
        }
    }
}
