package org.carnet.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import org.carnet.CarnetApplication;
import org.carnet.CarnetTestServer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default keeps its data across restarts and refuses to share its directory. */
class DurabilityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path dataDir;

    @Test
    void keepsEverythingAcrossARestart() {
        String id;
        try (ConfigurableApplicationContext first = start(dataDir, false)) {
            Patient patient = new Patient();
            patient.addName().setFamily("Durable");
            id = client(first).create().resource(patient).execute().getId().getIdPart();
        }

        try (ConfigurableApplicationContext second = start(dataDir, false)) {
            Patient read = client(second).read().resource(Patient.class).withId(id).execute();
            assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Durable");
            assertThat(read.getMeta().getVersionId()).isEqualTo("1");
        }
    }

    @Test
    void secondInstanceOnTheSameDirectoryFailsClearly() {
        try (ConfigurableApplicationContext first = start(dataDir, false)) {
            assertThatThrownBy(() -> start(dataDir, false))
                    .hasRootCauseInstanceOf(DataDirectoryInUseException.class)
                    .rootCause()
                    .hasMessageContaining("already in use by another running Carnet instance");
            assertThat(client(first).search().forResource(Patient.class).returnBundle(Bundle.class).execute())
                    .isNotNull();
        }
    }

    @Test
    void loadsTheDemoDataOnceIntoAnEmptyStore() {
        int patients;
        try (ConfigurableApplicationContext first = start(dataDir, true)) {
            patients = client(first).search().forResource(Patient.class).returnBundle(Bundle.class).execute().getTotal();
        }
        try (ConfigurableApplicationContext second = start(dataDir, true)) {
            int again = client(second).search().forResource(Patient.class).returnBundle(Bundle.class).execute().getTotal();
            assertThat(patients).isEqualTo(34);
            assertThat(again).isEqualTo(34);
        }
    }

    @Test
    void neverLoadsTheDemoIntoAnExternalDatabaseUnlessAsked() throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("external"))
                .setCleanDataDirectory(true).start()) {
            String url = external.getJdbcUrl("postgres", "postgres");
            try (ConfigurableApplicationContext carnet = new SpringApplicationBuilder(CarnetApplication.class).run(
                    "--server.port=0",
                    "--carnet.data-dir=" + dataDir.resolve("carnet"),
                    "--carnet.db.url=" + url,
                    "--carnet.db.username=postgres",
                    "--spring.jmx.enabled=false")) {
                try (var connection = external.getPostgresDatabase().getConnection();
                        var rows = connection.createStatement().executeQuery(
                                "select count(*) from resource where res_type = 'Patient'")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isZero();
                }
                assertThat(carnet.isRunning()).isTrue();
                assertThat(dataDir.resolve("carnet/postgres")).doesNotExist();
            }
        }
    }

    @Test
    void theDemoSignInProviderNeverRunsOnAnExternalDatabase() throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("external"))
                .setCleanDataDirectory(true).start()) {
            assertThatThrownBy(() -> new SpringApplicationBuilder(CarnetApplication.class).profiles("demo").run(
                            "--server.port=0",
                            "--carnet.data-dir=" + dataDir.resolve("carnet"),
                            "--carnet.db.url=" + external.getJdbcUrl("postgres", "postgres"),
                            "--carnet.db.username=postgres",
                            "--spring.jmx.enabled=false"))
                    .rootCause()
                    .hasMessageContaining("never runs on an external database");
        }
    }

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
        client.registerInterceptor(new BearerTokenAuthInterceptor(
                CarnetTestServer.token("http://localhost:" + port, "integration")));
        return client;
    }
}
