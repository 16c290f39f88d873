package org.carnet;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts Carnet on a random port over the embedded PostgreSQL and talks to it over real HTTP. Every
 * integration test that needs a running server extends this class, so they share one server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
public abstract class CarnetIT {

    /** The demo identity the generic tests act as: a trusted system client, unrestricted (and audited). */
    protected static final String SYSTEM = "integration";

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
        client.registerInterceptor(new BearerTokenAuthInterceptor(token(SYSTEM)));
    }

    /** A FHIR client signed in as a demo identity. */
    protected IGenericClient clientAs(String identity) {
        IGenericClient as = FHIR.newRestfulGenericClient(base());
        as.registerInterceptor(new BearerTokenAuthInterceptor(token(identity)));
        return as;
    }

    /** A real access token of a demo identity, from the built-in provider (client credentials). */
    protected String token(String identity) {
        return CarnetTestServer.token("http://localhost:" + port, identity);
    }

    protected String base() {
        return "http://localhost:" + port + "/fhir";
    }

    /**
     * What {@code probe} returns once {@code done} holds, asked again every 50 ms for up to 10 s (the last answer when
     * it never holds): for effects that follow a commit, such as the holder's notifications.
     */
    protected static <T> T eventually(java.util.concurrent.Callable<T> probe, java.util.function.Predicate<T> done)
            throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        T answer = probe.call();
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            answer = probe.call();
        }
        return answer;
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

    /** The Practitioner with that IdNat_PS in the directory, created (as the system) when there is none. */
    protected String practitioner(String idNat, String family) {
        org.hl7.fhir.r4.model.Bundle found = client.search()
                .forResource(org.hl7.fhir.r4.model.Practitioner.class)
                .where(org.hl7.fhir.r4.model.Practitioner.IDENTIFIER
                        .exactly()
                        .systemAndCode("urn:oid:1.2.250.1.71.4.2.1", idNat))
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                .execute();
        if (!found.getEntry().isEmpty()) {
            return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
        }
        org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
        practitioner.addIdentifier().setSystem("urn:oid:1.2.250.1.71.4.2.1").setValue(idNat);
        practitioner.addName().setFamily(family);
        return client.create().resource(practitioner).execute().getId().getIdPart();
    }

    /** An access rule set on a record by the system ({@code $designate-traitant}, {@code $add-care-team}, …). */
    protected void accessRule(String patientId, String operation, String idNat) {
        var parameters = new org.hl7.fhir.r4.model.Parameters();
        parameters.addParameter().setName("practitioner").setValue(new org.hl7.fhir.r4.model.StringType(idNat));
        client.operation()
                .onInstance("Patient/" + patientId)
                .named(operation)
                .withParameters(parameters)
                .execute();
    }

    protected HttpResponse<String> send(String method, String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        return sendAs(SYSTEM, method, path, contentType, body, headers);
    }

    /** An HTTP request signed in as a demo identity ({@code null}: no token at all). */
    protected HttpResponse<String> sendAs(
            String identity, String method, String path, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (identity != null) {
            request.header("Authorization", "Bearer " + token(identity));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, null, headers);
    }

    protected HttpResponse<String> getAs(String identity, String path, String... headers)
            throws IOException, InterruptedException {
        return sendAs(identity, "GET", path, null, null, headers);
    }
}
