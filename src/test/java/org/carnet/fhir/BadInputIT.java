package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.Test;

/** A client mistake gets a 4xx OperationOutcome that says what is wrong, and never a stack trace. */
class BadInputIT extends CarnetIT {

    @Test
    void malformedJsonIs400() throws Exception {
        assertClientError(
                send("POST", "/Patient", "application/fhir+json", "{\"resourceType\":\"Patient\", \"name\": ["), 400);
    }

    @Test
    void unknownElementIs400() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/Patient",
                "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}");

        assertClientError(response, 400);
        assertThat(response.body()).contains("favouriteColour");
    }

    @Test
    void bodyOfAnotherTypeIs400() throws Exception {
        assertClientError(
                send(
                        "POST",
                        "/Patient",
                        "application/fhir+json",
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}"),
                400);
    }

    @Test
    void unknownResourceTypeIs404() throws Exception {
        assertClientError(get("/Spaceship/1"), 404);
    }

    @Test
    void unknownSearchParameterIs400WhenStrict() throws Exception {
        HttpResponse<String> response = get("/Observation?colour=blue", "Prefer", "handling=strict");

        assertClientError(response, 400);
        assertThat(response.body()).contains("colour");
    }

    @Test
    void invalidSearchValuesAre400() throws Exception {
        assertClientError(get("/Observation?date=yesterday"), 400);
        assertClientError(get("/Observation?_count=lots"), 400);
        assertClientError(get("/Observation?code:fuzzy=x"), 400);
        assertClientError(get("/Observation?subject.name=x"), 400);
        assertClientError(get("/Observation?_sort=status"), 400);
        assertClientError(get("/Observation?_include=Observation:status"), 400);
    }

    @Test
    void referenceToAMissingResourceIs422() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/Observation",
                "application/fhir+json",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"subject\":{\"reference\":\"Patient/no-such-patient\"}}");

        assertClientError(response, 422);
        assertThat(response.body()).contains("Patient/no-such-patient");
    }

    @Test
    void malformedReferenceIs422() throws Exception {
        assertClientError(
                send(
                        "POST",
                        "/Observation",
                        "application/fhir+json",
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"subject\":{\"reference\":\"Patient/with space\"}}"),
                422);
    }

    @Test
    void payloadTooLargeIs413() throws Exception {
        String huge = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + "x".repeat(2_100_000) + "\"}]}";

        assertClientError(send("POST", "/Patient", "application/fhir+json", huge), 413);
    }

    @Test
    void nonBundleAtBaseIs400() throws Exception {
        assertClientError(
                send("POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}"),
                400);
    }

    @Test
    void patchThatIsNotAnArrayIs400() throws Exception {
        String id = created(patient("Martin", unique())).getIdElement().getIdPart();

        assertClientError(send("PATCH", "/Patient/" + id, "application/json-patch+json", "{\"op\":\"remove\"}"), 400);
    }

    @Test
    void invalidVersionIs400() throws Exception {
        String id = created(patient("Martin", unique())).getIdElement().getIdPart();

        assertClientError(get("/Patient/" + id + "/_history/abc"), 400);
    }

    private static void assertClientError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body())
                .contains("OperationOutcome")
                .doesNotContain("\tat ")
                .doesNotContain("Exception:");
    }
}
