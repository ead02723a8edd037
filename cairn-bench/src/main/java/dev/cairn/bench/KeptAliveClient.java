package dev.cairn.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client for the HTTP rows: one kept-alive socket, each request's line, headers and JSON body sent
 * in one write (TCP_NODELAY), the answer read by its Content-Length. {@code HttpURLConnection} did the same on the
 * wire but cost about a sixth of the two cores in the 16-client row (a connection object, header maps and 8 KiB
 * buffers per request), CPU the clients of a real server do not take from it. A server that closes the connection
 * ({@code Connection: close}) is reconnected to for the next request.
 */
final class KeptAliveClient implements AutoCloseable {
    /** A status and the whole body. */
    record Response(int status, byte[] body) {}

    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeptAliveClient(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    Response post(String path, byte[] json) throws IOException {
        if (socket == null) {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 4096);
        }
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + json.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(json, 0, request, head.length, json.length);
        out.write(request);
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: '" + status + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            } else if (name.equals("transfer-encoding")) {
                throw new IOException("a chunked answer; this client reads only answers with a Content-Length");
            }
        }
        byte[] body = length < 0 ? new byte[0] : in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("the connection ended inside an answer");
        }
        if (close) {
            close();
        }
        return new Response(code, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the connection ended inside an answer's head");
            }
            if (b != '\r') {
                text.write(b);
            }
        }
        return text.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
