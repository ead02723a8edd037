package dev.cairn.server.internal;

import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one Jetty handler: gives each request to an {@link HttpHandler} as a {@link JettyExchange}. The request is
 * done when the exchange is closed, not when the handler returns, so a handler may leave the answer to another
 * thread (one that writes the responses of a whole batch of appends, say).
 */
public final class JettyBridge extends Handler.Abstract {
    private final HttpHandler handler;

    public JettyBridge(HttpHandler handler) {
        this.handler = handler;
    }

    /** How Jetty's HTTP/1.1 connections must read requests for this bridge's handlers. */
    public static HttpConfiguration configuration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // The handlers match the raw path and decode each segment themselves, so an encoded '/', '%' or '.' in a
        // segment (a stream named a/b) is no ambiguity here: let them through, refuse what RFC 3986 refuses.
        http.setUriCompliance(UriCompliance.DEFAULT.with("CAIRN", UriCompliance.AMBIGUOUS_VIOLATIONS
                .toArray(new UriCompliance.Violation[0])));
        return http;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // A request waiting on the store, or a live tail between two keep-alive comments, does no I/O for a while:
        // no stall, so Jetty's idle timeout must not fail it (as Jetty documents it would without a listener). A
        // read or a write that stalls still fails with an IOException.
        request.addIdleTimeoutListener(timeout -> false);
        URI uri;
        try {
            uri = new URI(request.getHttpURI().getPathQuery());
        } catch (URISyntaxException e) {
            Response.writeError(request, response, callback, 400, "the request target is not a valid URI");
            return true;
        }
        JettyExchange exchange = new JettyExchange(request, response, callback, uri);
        try {
            handler.handle(exchange);
        } catch (Throwable e) {
            // Nothing answers a handler that threw: Jetty answers 500 if nothing was sent, else drops the connection.
            exchange.fail(e);
            if (e instanceof Error error) {
                throw error;
            }
        }
        return true;
    }
}
