package org.carnet.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.carnet.CarnetApplication;
import org.carnet.CarnetTestServer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default keeps its data across restarts, refuses to share its directory and never loads the demo on top
 * of data; the demo never goes into an external database unless asked, and its sign-in provider never runs on one. (That
 * the demo loads whole into an empty store is {@code demo.FirstStartIT}'s, on real processes.)
 */
class DurabilityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** One external database for the tests that need one: neither writes a Patient to it. */
    private static EmbeddedPostgres external;

    @TempDir
    static Path externalDir;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startExternalDatabase() throws IOException {
        external = EmbeddedPostgres.builder()
                .setDataDirectory(externalDir)
                .setCleanDataDirectory(true)
                .start();
    }

    @AfterAll
    static void stopExternalDatabase() throws IOException {
        external.close();
    }

    /**
     * One store through two starts: what the first wrote, the second reads; while the first runs, a second instance
     * on its directory fails clearly and the first goes on serving; and the second start, with the demo on
     * ({@code carnet.demo.seed=auto}), loads nothing into a store that holds data.
     */
    @Test
    void keepsEverythingAcrossARestartRefusesASecondInstanceAndLoadsNoDemoOnTopOfData() {
        String id;
        try (ConfigurableApplicationContext first = start(dataDir, false)) {
            Patient patient = new Patient();
            patient.addName().setFamily("Durable");
            id = client(first).create().resource(patient).execute().getId().getIdPart();

            assertThatThrownBy(() -> start(dataDir, false))
                    .hasRootCauseInstanceOf(DataDirectoryInUseException.class)
                    .rootCause()
                    .hasMessageContaining("already in use by another running Carnet instance");
            assertThat(client(first)
                            .read()
                            .resource(Patient.class)
                            .withId(id)
                            .execute()
                            .getNameFirstRep()
                            .getFamily())
                    .isEqualTo("Durable");
        }

        try (ConfigurableApplicationContext second = start(dataDir, true)) {
            Patient read =
                    client(second).read().resource(Patient.class).withId(id).execute();
            assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Durable");
            assertThat(read.getMeta().getVersionId()).isEqualTo("1");
            assertThat(client(second)
                            .search()
                            .forResource(Patient.class)
                            .returnBundle(Bundle.class)
                            .execute()
                            .getTotal())
                    .as("no demo patient beside the one written")
                    .isEqualTo(1);
        }
    }

    @Test
    void neverLoadsTheDemoIntoAnExternalDatabaseUnlessAsked() throws Exception {
        String url = external.getJdbcUrl("postgres", "postgres");
        try (ConfigurableApplicationContext carnet = new SpringApplicationBuilder(CarnetApplication.class)
                .run(
                        "--server.port=0",
                        "--carnet.data-dir=" + dataDir.resolve("carnet"),
                        "--carnet.db.url=" + url,
                        "--carnet.db.username=postgres",
                        "--spring.jmx.enabled=false")) {
            try (var connection = external.getPostgresDatabase().getConnection();
                    var rows = connection
                            .createStatement()
                            .executeQuery("select count(*) from resource where res_type = 'Patient'")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
            assertThat(carnet.isRunning()).isTrue();
            assertThat(dataDir.resolve("carnet/postgres")).doesNotExist();
        }
    }

    @Test
    void theDemoSignInProviderNeverRunsOnAnExternalDatabase() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CarnetApplication.class)
                        .profiles("demo")
                        .run(
                                "--server.port=0",
                                "--carnet.data-dir=" + dataDir.resolve("carnet"),
                                "--carnet.db.url=" + external.getJdbcUrl("postgres", "postgres"),
                                "--carnet.db.username=postgres",
                                "--spring.jmx.enabled=false"))
                .rootCause()
                .hasMessageContaining("never runs on an external database");
    }

    /** Carnet on the embedded default in {@code dataDir}; {@code demo}: the demo's default ({@code auto}), else off. */
    private static ConfigurableApplicationContext start(Path dataDir, boolean demo) {
        return new SpringApplicationBuilder(CarnetApplication.class)
                .profiles("demo")
                .run(
                        "--server.port=0",
                        "--carnet.data-dir=" + dataDir,
                        "--carnet.demo.seed=" + (demo ? "auto" : "false"),
                        "--spring.jmx.enabled=false");
    }

    private static IGenericClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(
                new BearerTokenAuthInterceptor(CarnetTestServer.token("http://localhost:" + port, "integration")));
        return client;
    }
}
