package dev.cairn.server.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One request on Jetty seen as the JDK's {@link HttpExchange}, so that {@link HttpFront}, the console and the live
 * tail keep the contract they were written against: {@code sendResponseHeaders(code, n)} sends a body of exactly
 * {@code n} bytes for n &gt; 0, a body of unknown length (chunked, each write goes out at once) for 0, and none for
 * -1; the response body stream writes to the client and fails with an {@link IOException} once the client is gone.
 *
 * <p>The exchange ends when its response body stream or the exchange itself is closed, from whichever thread and
 * however long after the handler returned: only then is Jetty told the request is done (exactly once). A response
 * whose declared length was not written in full, or an exchange closed before any response was sent, ends failed:
 * Jetty answers 500 if nothing was sent yet, and otherwise drops the connection, as the JDK did.
 */
final class JettyExchange extends HttpExchange {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Body body = new Body();
    private final AtomicBoolean ended = new AtomicBoolean();
    private InputStream requestBody;
    private InputStream requestBodyFilter;
    private OutputStream responseBodyFilter;
    private volatile int code = -1;

    JettyExchange(Request request, Response response, Callback callback, URI uri) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.uri = uri;
        for (HttpField field : request.getHeaders()) {
            requestHeaders.add(field.getName(), field.getValue());
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    /** There is no JDK context: every request reaches the one handler. */
    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public synchronized InputStream getRequestBody() {
        if (requestBodyFilter != null) {
            return requestBodyFilter;
        }
        if (requestBody == null) {
            requestBody = Request.asInputStream(request);
        }
        return requestBody;
    }

    @Override
    public synchronized OutputStream getResponseBody() {
        return responseBodyFilter != null ? responseBodyFilter : body;
    }

    @Override
    public void sendResponseHeaders(int status, long length) throws IOException {
        synchronized (body) {
            if (code >= 0) {
                throw new IOException("the response headers were sent already");
            }
            if (ended.get()) {
                throw new IOException("the exchange was closed");
            }
            response.setStatus(status);
            HttpFields.Mutable headers = response.getHeaders();
            for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
                // Jetty's own spelling of the names it knows (Headers spells them "Content-type").
                HttpHeader known = HttpHeader.CACHE.get(header.getKey());
                for (String value : header.getValue()) {
                    if (known != null) {
                        headers.add(known, value);
                    } else {
                        headers.add(header.getKey(), value);
                    }
                }
            }
            // As the JDK: no Content-Length for 1xx, 204 and 304, nor on a HEAD, whose body Jetty drops (so a
            // handler that writes one anyway is no error).
            boolean bodiless = status < 200 || status == 204 || status == 304;
            boolean head = request.getMethod().equals("HEAD");
            if (bodiless || length < 0) {
                body.remaining = 0;
                if (!bodiless && !head) {
                    headers.put(HttpHeader.CONTENT_LENGTH, 0L);
                }
            } else if (length > 0) {
                body.remaining = length;
                if (!head) {
                    headers.put(HttpHeader.CONTENT_LENGTH, length);
                }
            } else {
                body.remaining = -1;
            }
            code = status;
            if (body.remaining < 0) {
                // A stream of unknown length (the live tail): its client sees the status now, as the JDK sent it.
                body.send(false, NOTHING);
            }
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return (InetSocketAddress) request.getConnectionMetaData().getLocalSocketAddress();
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            request.removeAttribute(name);
        } else {
            request.setAttribute(name, value);
        }
    }

    @Override
    public synchronized void setStreams(InputStream in, OutputStream out) {
        if (in != null) {
            requestBodyFilter = in;
        }
        if (out != null) {
            responseBodyFilter = out;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /**
     * Ends the exchange: closes the request body and the response body, which tells Jetty the request is done.
     * Closing again does nothing.
     */
    @Override
    public void close() {
        InputStream in;
        synchronized (this) {
            in = requestBody;
        }
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // the request body is of no more use either way
            }
        }
        if (code < 0) {
            // What a handler does when its client went away mid-request, so not worth a warning.
            end(new Quiet("the exchange was closed before a response was sent", null));
            return;
        }
        try {
            body.close();
        } catch (IOException e) {
            // body.close() ended the exchange as failed
        }
    }

    /**
     * Ends the exchange as failed after its handler threw, unless it ended already: Jetty answers 500 if nothing
     * was sent, and otherwise drops the connection. An {@link IOException} is a client that went away or stalled,
     * which Jetty then logs only at debug level; anything else is a bug it warns about.
     */
    void fail(Throwable failure) {
        end(failure instanceof IOException && !(failure instanceof QuietException)
                ? new Quiet("the handler gave up on its client: " + failure.getMessage(), failure) : failure);
    }

    /** Tells Jetty the request is done, once: succeeded for null, else failed. */
    private void end(Throwable failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
    }

    /**
     * The response body. Each write goes to Jetty at once and blocks until it is written, so a flush has nothing
     * left to do; the write that completes a declared length is Jetty's last one, so headers and a small body
     * leave in one packet.
     */
    private final class Body extends OutputStream {
        /** Bytes still to write for a declared length, 0 when no body (more) is expected, -1 for any length. */
        private long remaining;
        /** Whether a write failed: the client went away, so a body left short is no bug. */
        private boolean broken;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            synchronized (this) {
                if (code < 0) {
                    throw new IOException("the response headers must be sent before its body");
                }
                if (ended.get()) {
                    throw new IOException("the response was closed");
                }
                if (length == 0) {
                    return;
                }
                if (remaining >= 0 && length > remaining) {
                    throw new IOException("too many bytes for the response's Content-Length: " + length
                            + " more, " + remaining + " left");
                }
                if (remaining > 0) {
                    remaining -= length;
                }
                send(remaining == 0, ByteBuffer.wrap(bytes, offset, length));
            }
        }

        private void send(boolean last, ByteBuffer content) throws IOException {
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(last, content, written);
                written.block();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (this) {
                if (code < 0 || ended.get()) {
                    return;
                }
                if (remaining > 0) {
                    String message = "the response ended " + remaining + " bytes short of its Content-Length";
                    IOException shortfall = broken ? new Quiet(message, null) : new IOException(message);
                    end(shortfall);
                    throw shortfall;
                }
            }
            // Jetty writes what a body of unknown length still needs (its last chunk) once told the request is done.
            end(null);
        }
    }

    /** A failure that ends an exchange because of its client, which Jetty logs only at debug level. */
    private static final class Quiet extends IOException implements QuietException {
        private static final long serialVersionUID = 1L;

        Quiet(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
