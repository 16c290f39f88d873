package org.carnet.ingestion.hl7v2;

import java.io.IOException;
import java.net.Socket;
import org.springframework.context.ApplicationContext;

/**
 * A sending system for integration tests outside this package: one message over MLLP to a running Carnet's listener,
 * its ACK back. It keeps the listener and the framing package-private.
 */
public final class MllpSender {

    private MllpSender() {}

    /** Sends {@code message} to the MLLP listener of {@code context} and returns the answer, framing removed. */
    public static String exchange(ApplicationContext context, String message) throws IOException {
        try (Socket socket =
                new Socket("localhost", context.getBean(MllpServer.class).port())) {
            socket.setSoTimeout(30_000);
            MllpFraming.write(socket.getOutputStream(), message);
            return MllpFraming.read(socket.getInputStream(), 1 << 20);
        }
    }
}
