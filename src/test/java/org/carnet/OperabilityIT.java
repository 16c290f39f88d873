package org.carnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class OperabilityIT extends CarnetIT {

    @Test
    void reportsHealthReadinessAndPrometheusMetrics() throws Exception {
        assertThat(body("/actuator/health")).contains("\"status\":\"UP\"");
        assertThat(body("/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(body("/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(body("/actuator/prometheus")).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    private String body(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
