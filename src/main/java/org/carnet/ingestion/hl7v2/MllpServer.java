package org.carnet.ingestion.hl7v2;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.Ingestion;
import org.carnet.ingestion.IngestionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The HL7 v2 listener (MLLP over TCP), on when {@code carnet.ingestion.mllp.port} is set (0: any free port).
 * Each message is filed through {@link Ingestion} before its ACK is sent: {@code AA} once it is filed (or was
 * before), {@code AE} when it waits in quarantine or failed (kept, to replay), {@code AR} when it cannot be read.
 */
@Component
@ConditionalOnProperty("carnet.ingestion.mllp.port")
class MllpServer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MllpServer.class);

    private final MllpListener listener;

    MllpServer(Ingestion ingestion, IngestionProperties properties, java.time.Clock clock) {
        try {
            this.listener = new MllpListener(
                    properties.mllp().host(),
                    java.util.Objects.requireNonNull(
                            properties.mllp().port(), "only made when carnet.ingestion.mllp.port is set"),
                    properties.mllp().maxMessageBytes(),
                    message -> answer(ingestion, message, clock),
                    clock);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot listen for HL7 v2 (MLLP) on port "
                            + properties.mllp().port(),
                    e);
        }
        log.info("HL7 v2 (MLLP) listener on port {}", listener.port());
    }

    /** The port listened on (useful when configured as 0). */
    public int port() {
        return listener.port();
    }

    static String answer(Ingestion ingestion, String message, java.time.Clock clock) {
        Ingestion.Outcome outcome = ingestion.receive(
                new Inbound("hl7v2", "mllp", message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        java.time.Instant at = clock.instant();
        return switch (outcome.status()) {
            case FILED, DUPLICATE, ALREADY_RECEIVED ->
                Hl7Reader.ack(
                        message,
                        AckCode.AA,
                        outcome.status() == Ingestion.Status.FILED ? "filed" : "already filed",
                        at);
            case QUARANTINED -> Hl7Reader.ack(message, AckCode.AE, "kept in quarantine: " + outcome.reason(), at);
            // Not filed and not kept (a message received over MLLP does not wait today): the sender sends it again.
            case WAITING -> Hl7Reader.ack(message, AckCode.AE, "not filed, send again later: " + outcome.reason(), at);
            case FAILED ->
                Hl7Reader.ack(
                        message,
                        outcome.reason() != null && outcome.reason().startsWith("refused") ? AckCode.AR : AckCode.AE,
                        outcome.reason(),
                        at);
        };
    }

    @Override
    public void destroy() {
        listener.close();
    }
}
