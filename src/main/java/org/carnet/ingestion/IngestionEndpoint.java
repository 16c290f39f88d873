package org.carnet.ingestion;

import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
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

    @WriteOperation
    Ingestion.Outcome replay(@Selector String fingerprint) {
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("A fingerprint is 64 lower-case hex digits");
        }
        return ingestion.replay(fingerprint);
    }
}
