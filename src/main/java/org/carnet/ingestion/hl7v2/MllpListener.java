package org.carnet.ingestion.hl7v2;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server speaking MLLP: each framed message goes to a handler whose answer is sent back, framed, on the
 * same connection, in order.
 *
 * <p>Contract: one virtual thread per connection, several messages per connection. The handler returns the
 * ACK to send (see {@link Hl7Reader#ack}); a null answer, or a handler that throws, is answered by an AE ACK,
 * so a sender is never left waiting on a live connection. A frame over {@code maxMessageBytes}, bad framing or
 * a network error closes that connection only; the listener keeps accepting.
 *
 * <p>Thread-safety: the handler is called concurrently from several connections and must be thread-safe.
 * Security: MLLP is clear text and unauthenticated; bind to a private interface or put a TLS tunnel in front.
 * The listener logs connection events, never message content; a handler's exception is logged with its stack
 * trace, so handlers must keep patient data out of exception messages.
 */
final class MllpListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MllpListener.class);

    private final ServerSocket server;
    private final int maxMessageBytes;
    private final Function<String, String> handler;
    private final java.time.Clock clock;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /** Listens on host:port (port 0 = any free port) until {@link #close()}. */
    public MllpListener(
            String host, int port, int maxMessageBytes, Function<String, String> handler, java.time.Clock clock)
            throws IOException {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.handler = handler;
        this.clock = clock;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(host, port));
        this.acceptor =
                Thread.ofVirtual().name("mllp-accept-" + server.getLocalPort()).start(this::accept);
    }

    /** The port listened on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Stops accepting and closes open connections; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the MLLP server socket", e);
        }
        connections.forEach(MllpListener::quietlyClose);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                if (closed) {
                    quietlyClose(socket);
                } else {
                    Thread.ofVirtual()
                            .name("mllp-" + socket.getRemoteSocketAddress())
                            .start(() -> serve(socket));
                }
            } catch (IOException e) {
                if (!closed) {
                    log.warn("MLLP listener on port {} could not accept a connection: {}", port(), e.toString());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            for (String message = MllpFraming.read(in, maxMessageBytes);
                    message != null;
                    message = MllpFraming.read(in, maxMessageBytes)) {
                MllpFraming.write(out, answer(message));
            }
        } catch (IOException e) {
            if (!closed) {
                log.info("MLLP connection from {} closed: {}", socket.getRemoteSocketAddress(), e.getMessage());
            }
        } finally {
            connections.remove(socket);
        }
    }

    private String answer(String message) {
        try {
            String ack = handler.apply(message);
            return ack != null
                    ? ack
                    : Hl7Reader.ack(message, AckCode.AE, "no acknowledgement was produced", clock.instant());
        } catch (RuntimeException e) {
            log.error("MLLP handler failed on a message ({})", e.getClass().getName(), e);
            return Hl7Reader.ack(message, AckCode.AE, "the message could not be processed", clock.instant());
        }
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing an MLLP connection", e);
        }
    }
}
