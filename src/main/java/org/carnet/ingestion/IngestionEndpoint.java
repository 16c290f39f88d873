package org.carnet.ingestion;

import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/ingestion}, for operators: each connector's health (last success, backlog, error rate) and the
 * items waiting in quarantine or the dead-letter list with their reasons; {@code POST /actuator/ingestion/<fingerprint>}
 * replays one once its cause is fixed. Shows ids, sources and reasons, never contents.
 */
@Component
@Endpoint(id = "ingestion")
class IngestionEndpoint {

    private final Ingestion ingestion;

    IngestionEndpoint(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    record Status(List<Ingestion.Health> connectors, List<Ingestion.Parked> parked) {}

    @ReadOperation
    Status status() {
        return new Status(ingestion.health(), ingestion.parked(200));
    }

    /** Replays one item: its outcome; 400 for what is not a fingerprint, 404 for one the ledger does not hold. */
    @WriteOperation
    WebEndpointResponse<Object> replay(@Selector String fingerprint) {
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            return problem(400, "A fingerprint is 64 lower-case hex digits");
        }
        try {
            return new WebEndpointResponse<>(ingestion.replay(fingerprint), 200);
        } catch (IllegalArgumentException e) {
            String message = java.util.Objects.requireNonNullElse(e.getMessage(), "");
            return problem(message.startsWith("No item") ? 404 : 409, message);
        }
    }

    private static WebEndpointResponse<Object> problem(int status, String message) {
        return new WebEndpointResponse<>(java.util.Map.of("status", status, "error", message), status);
    }
}
