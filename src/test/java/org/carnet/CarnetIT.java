package org.carnet;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts Carnet on a random port over the embedded PostgreSQL and talks to it over real HTTP. Every
 * integration test that needs a running server extends this class, so they share one server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class CarnetIT {

    protected static final FhirContext FHIR = FhirContext.forR4Cached();
    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    protected IGenericClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CarnetTestServer.properties(registry);
    }

    @BeforeEach
    protected void connect() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = FHIR.newRestfulGenericClient(base());
    }

    protected String base() {
        return "http://localhost:" + port + "/fhir";
    }

    /** A unique token so each test finds only its own data. */
    protected static String unique() {
        return UUID.randomUUID().toString();
    }

    protected static Patient patient(String family, String marker) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:carnet:test").setValue(marker);
        patient.addName().setFamily(family).addGiven("Jeanne");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1950-04-02"));
        return patient;
    }

    protected Patient created(Patient patient) {
        return (Patient) client.create().resource(patient).execute().getResource();
    }

    protected HttpResponse<String> send(String method, String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, null, headers);
    }
}
