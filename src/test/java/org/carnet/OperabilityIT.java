package org.carnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class OperabilityIT extends CarnetIT {

    @Test
    void reportsHealthReadinessAndPrometheusMetrics() throws Exception {
        assertThat(body("/actuator/health")).contains("\"status\":\"UP\"");
        assertThat(body("/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(body("/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(body("/actuator/prometheus", "operateur"))
                .contains("jvm_memory_used_bytes")
                .contains("hikaricp_connections");
    }

    @Test
    void metricsAreForOperatorsAndUnknownPathsAreRefused() throws Exception {
        assertThat(status("/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status("/actuator/prometheus", "dr-moreau")).isEqualTo(403);
        assertThat(status("/actuator/env", "operateur")).isEqualTo(403);
        assertThat(status("/somewhere-else", null)).isIn(401, 403);
        assertThat(status("/fhir/Patient", null)).isEqualTo(401);
        assertThat(status("/fhir/metadata", null)).isEqualTo(200);
    }

    private int status(String path, String identity) throws Exception {
        return sendAs(identity, "GET", "http://localhost:" + port + path, null, null)
                .statusCode();
    }

    private String body(String path) throws Exception {
        return body(path, null);
    }

    private String body(String path, String identity) throws Exception {
        HttpResponse<String> response = sendAs(identity, "GET", "http://localhost:" + port + path, null, null);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
