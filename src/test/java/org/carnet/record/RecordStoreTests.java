package org.carnet.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record store's parts built by hand on an embedded PostgreSQL, without Spring or the web layer: writes, reads,
 * history and {@code $everything}, and the modules' unit rules on every write path.
 */
class RecordStoreTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static EmbeddedPostgres postgres;
    private static TransactionTemplate transactions;
    private static RecordReads reads;
    private static RecordHistory history;
    private static Everything everything;
    private static RecordWrites writes;
    private static Transactions bundles;
    private static final List<Object> published = new ArrayList<>();
    /** Units the test rule saw, and the code it refuses. */
    private static final List<List<Change>> seen = new ArrayList<>();

    @BeforeAll
    static void store() throws Exception {
        Path dir = Files.createTempDirectory("carnet-record-");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .start();
        DataSource dataSource = postgres.getPostgresDatabase();
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        SearchParameters parameters = new SearchParameters(FHIR);
        reads = new RecordReads(jdbc, FHIR, parameters, new QueryStrings(parameters), Clock.systemUTC(), 100_000);
        history = new RecordHistory(jdbc, FHIR, reads, 100_000);
        everything = new Everything(jdbc, reads);
        UnitWriter writer =
                new UnitWriter(jdbc, FHIR, published::add, parameters, reads, List.of(), Clock.systemUTC(), 2_097_152);
        writes = new RecordWrites(writer, List.of(new RefusesCode("refused-by-rule")));
        bundles = new Transactions(reads, writes, new UnitLocks(jdbc), transactions);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void aUnitIsWrittenReadVersionedAndGatheredWithThePatientsRecord() {
        Practitioner doctor = new Practitioner();
        doctor.addName().setFamily("Martin");
        Patient patient = new Patient();
        patient.addName().setFamily("Durand");
        List<Written> first = write(List.of(new Change.Create(doctor), new Change.Create(patient)));
        String doctorId = first.get(0).id();
        String patientId = first.get(1).id();
        Observation weight = observation(patientId, "29463-7");
        weight.addPerformer(new Reference("Practitioner/" + doctorId));
        Written observation = write(List.of(new Change.Create(weight))).get(0);

        assertThat(observation.patientId()).as("filed under its patient").isEqualTo(patientId);
        assertThat(published).as("RecordChanged published with each unit").hasSizeGreaterThanOrEqualTo(2);
        patient.addName().setFamily("Durand-Petit");
        patient.setId(patientId);
        Written second = write(List.of(new Change.Update(patient, 1))).get(0);
        assertThat(second.version()).isEqualTo(2);
        assertThat(((Patient) reads.read("Patient", patientId)).getName()).hasSize(2);
        assertThat(((Patient) history.vread("Patient", patientId, 1)).getName()).hasSize(1);
        assertThat(history.history("Patient", patientId, null, Visibility.UNRESTRICTED))
                .hasSize(2);
        List<Long> whole = transactions.execute(status -> everything.everything(patientId, Visibility.UNRESTRICTED));
        assertThat(reads.load(whole))
                .extracting(r -> r.fhirType())
                .as("the Patient first, then its record, then the shared resources it points to")
                .containsExactly("Patient", "Observation", "Practitioner");
    }

    @Test
    void aUnitWithADanglingReferenceLeavesNothingBehind() {
        Patient patient = new Patient();
        patient.addName().setFamily("Lefebvre");
        String patientId = write(List.of(new Change.Create(patient))).get(0).id();
        Observation good = observation(patientId, "8302-2");
        Observation dangling = observation(patientId, "8867-4");
        dangling.addPerformer(new Reference("Practitioner/nobody"));

        assertThatThrownBy(() -> write(List.of(new Change.Create(good), new Change.Create(dangling))))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Practitioner/nobody");
        assertThat(reads.search("Observation", "patient=" + patientId, Visibility.UNRESTRICTED))
                .isEmpty();
    }

    @Test
    void aSearchBySecurityLabelFindsOnlyTheLabelledResources() {
        Patient patient = new Patient();
        patient.addName().setFamily("Garnier");
        String patientId = write(List.of(new Change.Create(patient))).get(0).id();
        Observation labelled = observation(patientId, "2339-0");
        labelled.getMeta().addSecurity("urn:oid:1.2.250.1.213.1.1.4.13", "MASQUE_PS", null);
        String labelledId = write(
                        List.of(new Change.Create(labelled), new Change.Create(observation(patientId, "2339-0"))))
                .get(0)
                .id();

        assertThat(reads.load(reads.search(
                        "Observation", "patient=" + patientId + "&_security=MASQUE_PS", Visibility.UNRESTRICTED)))
                .extracting(r -> r.getIdElement().getIdPart())
                .containsExactly(labelledId);
        assertThat(reads.search(
                        "Observation",
                        "patient=" + patientId + "&_security=urn:oid:1.2.250.1.213.1.1.4.13|MASQUE_PS",
                        Visibility.UNRESTRICTED))
                .hasSize(1);
        assertThat(reads.search("Observation", "patient=" + patientId, Visibility.UNRESTRICTED))
                .hasSize(2);
    }

    @Test
    void everyWritePathPassesTheModulesUnitRules() {
        Patient patient = new Patient();
        patient.addName().setFamily("Moreau");
        String patientId = write(List.of(new Change.Create(patient))).get(0).id();
        Observation refused = observation(patientId, "refused-by-rule");

        assertThatThrownBy(() -> write(List.of(new Change.Create(refused))))
                .as("a unit written directly")
                .hasMessageContaining("refused by the test rule");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:1")
                .setResource(observation(patientId, "refused-by-rule"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        assertThatThrownBy(() -> bundles.process(bundle))
                .as("a transaction Bundle")
                .hasMessageContaining("refused by the test rule");
        assertThat(reads.search("Observation", "patient=" + patientId, Visibility.UNRESTRICTED))
                .isEmpty();
        assertThat(seen)
                .as("the rule saw only the units it concerns")
                .allSatisfy(unit -> assertThat(unit).anyMatch(c -> c.type().equals("Observation")));
    }

    private static List<Written> write(List<Change> changes) {
        return transactions.execute(status -> writes.apply(changes));
    }

    private static Observation observation(String patientId, String code) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(code);
        observation.setSubject(new Reference("Patient/" + patientId));
        return observation;
    }

    /** A module's unit rule: refuses Observations of one code, and notes every unit it is asked about. */
    private record RefusesCode(String code) implements UnitRules {

        @Override
        public boolean concerns(List<Change> changes) {
            return changes.stream().anyMatch(c -> c.type().equals("Observation"));
        }

        @Override
        public Applied apply(List<Change> changes, WriteScope scope, Store store) {
            seen.add(changes);
            for (Change change : changes) {
                if (change instanceof Change.Create create
                        && create.resource() instanceof Observation o
                        && o.getCode().getCodingFirstRep().getCode().equals(code)) {
                    throw new UnprocessableEntityException("refused by the test rule");
                }
            }
            return Applied.of(store.apply(changes));
        }
    }
}
