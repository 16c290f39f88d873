package org.carnet.record;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchSqlTests {

    private static final SearchParameters PARAMETERS = new SearchParameters(FhirContext.forR4Cached());
    private static final SearchSql SQL = new SearchSql(PARAMETERS, java.time.Clock.systemUTC());

    @Test
    void patientScopedSearchUsesTheCompartmentColumnEverywhere() {
        for (String type : List.of(
                "Observation",
                "Condition",
                "DocumentReference",
                "MedicationRequest",
                "Encounter",
                "AllergyIntolerance",
                "Immunization",
                "Procedure",
                "DiagnosticReport")) {
            SearchQuery query =
                    new SearchQuery(type, List.of(new Criterion("patient", null, List.of("Patient/p1"))), List.of());

            SearchSql.Statement statement = SQL.compile(query, 100);

            assertThat(statement.sql()).as(type).contains("r.patient_id = ?").doesNotContain("idx_reference");
        }
    }

    @Test
    void patientScopePassesIntoEveryIndexLookup() {
        SearchQuery query = new SearchQuery(
                "Observation",
                List.of(
                        new Criterion("patient", null, List.of("p1")),
                        new Criterion("code", null, List.of("http://loinc.org|29463-7")),
                        new Criterion("date", null, List.of("ge2020"))),
                List.of());

        SearchSql.Statement statement = SQL.compile(query, 100);

        assertThat(statement.sql().split("x.patient_id = \\?", -1)).hasSize(3);
        assertThat(statement.args()).containsSubsequence("p1", "p1", "p1");
    }

    @Test
    void ownerIsReadFromThePatientParameterFirst() {
        assertThat(PARAMETERS.ownerParam("Observation")).contains("patient");
        assertThat(PARAMETERS.ownerParam("Encounter")).contains("patient");
        assertThat(PARAMETERS.ownerParam("Practitioner")).isEmpty();
    }
}
