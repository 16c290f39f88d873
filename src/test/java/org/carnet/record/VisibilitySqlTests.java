package org.carnet.record;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VisibilitySqlTests {

    @Test
    void unrestrictedAddsNothingToASearch() {
        SearchSql sql = new SearchSql(new SearchParameters(FhirContext.forR4Cached()), java.time.Clock.systemUTC());
        SearchQuery query = new SearchQuery("Observation", List.of(), List.of());

        assertThat(sql.compile(query, 10, Visibility.UNRESTRICTED).sql())
                .isEqualTo(sql.compile(query, 10).sql());
    }

    @Test
    void nothingVisibleIsAFalseCondition() {
        List<Object> args = new ArrayList<>();
        assertThat(VisibilitySql.condition(Visibility.NOTHING, "r", args)).isEqualTo("(false)");
        assertThat(args).isEmpty();
    }

    @Test
    void aGrantBecomesPatientTypeDocumentAndLabelConditionsWithBindValues() {
        Visibility visibility = new Visibility(
                false,
                Set.of("Practitioner"),
                Set.of(),
                List.of(new Visibility.Grant(
                        Set.of("p1"),
                        Set.of("Patient", "DocumentReference"),
                        Set.of("57833-6"),
                        Set.of("28627-8"),
                        Set.of("MASQUE_PS"),
                        Set.of("pr1"),
                        true,
                        Set.of())));
        List<Object> args = new ArrayList<>();

        String condition = VisibilitySql.condition(visibility, "r", args);

        assertThat(condition)
                .contains("r.patient_id is null and array[r.res_type] <@ ?::text[]")
                .contains("array[r.patient_id] <@ ?::text[]")
                .contains("and array[r.res_type] <@ ?::text[]")
                .contains("r.res_type <> 'DocumentReference' or r.access_tags && ?::text[]")
                .contains("not r.access_tags && ?::text[]")
                .doesNotContain("select")
                .doesNotContain("p1")
                .doesNotContain("MASQUE_PS");
        assertThat(args).contains((Object) new String[] {"label:MASQUE_PS"}, (Object) new String[] {"author:pr1"});
        assertThat(args).hasSize(7);
    }

    @Test
    void aStatementConfinedToOnePatientKeepsOnlyThatPatientsGrants() {
        Visibility visibility = new Visibility(
                false,
                Set.of("Practitioner"),
                Set.of(),
                List.of(
                        new Visibility.Grant(
                                Set.of("p1"),
                                Set.of("Observation"),
                                null,
                                Set.of(),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Visibility.Grant(
                                Set.of("p2"), null, null, Set.of(), Set.of("MASQUE_PS"), Set.of(), true, Set.of())));

        List<Object> args = new ArrayList<>();
        String forP1 = VisibilitySql.condition(visibility, "r", args, "p1");
        assertThat(forP1).isEqualTo("((true and array[r.res_type] <@ ?::text[]))");
        assertThat(VisibilitySql.condition(visibility, "r", new ArrayList<>(), "p3"))
                .isEqualTo("(false)");
    }

    @Test
    void writesNeedAWritableGrantOfThatPatientAndType() {
        Visibility visibility = new Visibility(
                false,
                Set.of("Practitioner"),
                Set.of("Organization"),
                List.of(
                        new Visibility.Grant(
                                Set.of("p1"),
                                Set.of("Observation"),
                                null,
                                Set.of(),
                                Set.of(),
                                Set.of(),
                                true,
                                Set.of()),
                        new Visibility.Grant(Set.of("p2"), null, null, Set.of(), Set.of(), Set.of(), false, Set.of())));

        assertThat(visibility.mayWrite("Observation", "p1")).isTrue();
        assertThat(visibility.mayWrite("Condition", "p1")).isFalse();
        assertThat(visibility.mayWrite("Observation", "p2")).isFalse();
        assertThat(visibility.mayWrite("Organization", null)).isTrue();
        assertThat(visibility.mayWrite("Practitioner", null)).isFalse();
        assertThat(visibility.opens("p2")).isTrue();
        assertThat(visibility.opens("p3")).isFalse();
    }
}
