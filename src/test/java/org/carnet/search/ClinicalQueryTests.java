package org.carnet.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a clinician types, as the search understands it. */
class ClinicalQueryTests {

    private static List<String> terms(String typed) {
        return ClinicalQuery.parse(typed).terms().stream()
                .map(ClinicalQuery.Term::shown)
                .toList();
    }

    @Test
    void wordsPhrasesPrefixesExclusionsAndOr() {
        ClinicalQuery query = ClinicalQuery.parse("chute \"salle de bains\" hémat* -kiné malaise OR syncope");
        assertThat(query.groups()).hasSize(4);
        assertThat(query.groups().get(3)).extracting(ClinicalQuery.Term::text).containsExactly("malaise", "syncope");
        assertThat(query.excluded()).extracting(ClinicalQuery.Term::text).containsExactly("kiné");
        assertThat(terms("hémat*")).containsExactly("hémat*");
    }

    @Test
    void consecutiveWordsOfAnExpressionAreOneTerm() {
        assertThat(terms("insuffisance rénale")).containsExactly("insuffisance rénale");
        assertThat(terms("perte de poids chute")).containsExactly("perte de poids", "chute");
        assertThat(terms("chute confusion")).containsExactly("chute", "confusion");
        // not across an operator, a filter or a quote
        assertThat(terms("insuffisance OR rénale")).containsExactly("insuffisance", "rénale");
        assertThat(terms("perte depuis:2020 de poids")).containsExactly("perte", "de", "poids");
    }

    @Test
    void filtersAndDates() {
        ClinicalQuery query = ClinicalQuery.parse("chute depuis:2024-03 jusqua:2024 auteur:moreau lieu:CH_Tours");
        assertThat(query.filters())
                .extracting(ClinicalQuery.Filter::field)
                .containsExactly("depuis", "jusqua", "auteur", "lieu");
        assertThat(query.filters().get(0).from()).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(query.filters().get(1).to()).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(query.filters().get(3).value()).isEqualTo("CH Tours");
    }

    @Test
    void mistakesAreSaidInFrench() {
        for (String bad : new String[] {
            "",
            "   ",
            "\"ouvert",
            "OR chute",
            "chute OR",
            "ch*",
            "c*ute",
            "-chute",
            "depuis:2024-13",
            "type:",
            "\"\"",
            "x".repeat(1_001)
        }) {
            assertThatThrownBy(() -> ClinicalQuery.parse(bad))
                    .as(bad)
                    .isInstanceOf(SearchSyntaxException.class)
                    .hasMessageNotContaining("Exception");
        }
        assertThat(ClinicalQuery.parse("mot ".repeat(64)).terms()).hasSize(64);
        assertThatThrownBy(() -> ClinicalQuery.parse("mot ".repeat(65))).hasMessageContaining("trop de termes");
    }
}
