package org.carnet.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Patient/<id>/$search} over real HTTP with real tokens: what a clinician finds in a record, and what a
 * professional never sees of a document hidden from them — no hit, snippet, total, facet, timeline point or duplicate
 * count. Dr Lambert is authorised on {@code mine}; {@code other} is another record.
 */
class RecordSearchIT extends CarnetIT {

    private static final String LAMBERT = "810005820468";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final java.util.concurrent.atomic.AtomicLong counter =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() % 100_000);

    private String mine;
    private String other;

    @BeforeEach
    void records() {
        mine = created(patient("Recherche", unique())).getIdElement().getIdPart();
        other = created(patient("Recherche", unique())).getIdElement().getIdPart();
        accessRule(mine, "$authorise", LAMBERT);
    }

    @Test
    void findsTheDocumentsThatMentionATermWithSnippetsFacetsAndTimeline() throws Exception {
        String fall = document(
                mine, "2023-03-02", "Mme R. a fait une chute dans sa salle de bains. Hématome du coude.", null);
        document(mine, "2024-06-10", "Nouvelle chute à domicile, retrouvée par sa fille.", null);
        document(mine, "2024-06-11", "Consultation de suivi : tension correcte, poursuite du traitement.", null);
        document(other, "2024-01-01", "Chute de l'autre patiente.", null);

        JsonNode found = searchUntil("dr-lambert", mine, "q=chute", 2);
        assertThat(found.get("total").asLong()).isEqualTo(2);
        assertThat(found.get("hits")).hasSize(2);
        assertThat(found.get("hits").get(0).get("date").asString()).isEqualTo("2024-06-10");
        assertThat(found.get("hits").get(1).get("reference").asString()).isEqualTo("DocumentReference/" + fall);
        assertThat(found.get("hits").get(0).get("snippets").get(0).asString())
                .contains("<mark class=\"t1\">chute</mark>");
        JsonNode timeline = found.get("timelines").get(0);
        assertThat(timeline.get("first").asString()).isEqualTo("2023-03-02");
        assertThat(timeline.get("last").asString()).isEqualTo("2024-06-10");
        assertThat(timeline.get("perYear").get("2023").asLong()).isEqualTo(1);
        assertThat(timeline.get("perYear").get("2024").asLong()).isEqualTo(1);
        assertThat(facet(found, "annee", "2024")).isEqualTo(1);

        JsonNode since = search("dr-lambert", mine, "q=chute&depuis=2024-01-01");
        assertThat(since.get("total").asLong()).isEqualTo(1);
        JsonNode excluded = search("dr-lambert", mine, "q=" + enc("chute -hématome"));
        assertThat(excluded.get("total").asLong()).isEqualTo(1);
        JsonNode either = search("dr-lambert", mine, "q=" + enc("hématome OR tension"));
        assertThat(either.get("total").asLong()).isEqualTo(2);
        JsonNode phrase = search("dr-lambert", mine, "q=" + enc("\"salle de bains\""));
        assertThat(phrase.get("total").asLong()).isEqualTo(1);
        JsonNode prefix = search("dr-lambert", mine, "q=" + enc("hémat*"));
        assertThat(prefix.get("total").asLong()).isEqualTo(1);
        JsonNode typo = search("dr-lambert", mine, "q=" + enc("hematone"));
        assertThat(typo.get("approximate").asBoolean()).isTrue();
        assertThat(typo.get("total").asLong()).isEqualTo(1);
    }

    @Test
    void negatedHypotheticalAndFamilyMentionsCountOnlyWhenAskedAndAreLabelled() throws Exception {
        String affirmed = document(mine, "2024-02-01", "Patiente retrouvée au sol ce matin par l'infirmière.", null);
        document(mine, "2024-02-02", "Pas de chute depuis la dernière consultation.", null);
        document(mine, "2024-02-03", "Suspicion de chute nocturne, à confirmer.", null);
        document(mine, "2024-02-04", "Antécédents familiaux : mère décédée des suites d'une chute.", null);
        searchUntil("dr-lambert", mine, "q=chute&contextes=tous", 4);

        JsonNode byDefault = search("dr-lambert", mine, "q=chute");
        assertThat(byDefault.get("total").asLong())
                .as("only the affirmed fall, found through its synonym")
                .isEqualTo(1);
        assertThat(byDefault.get("hits").get(0).get("reference").asString()).isEqualTo("DocumentReference/" + affirmed);
        assertThat(byDefault.get("timelines").get(0).get("count").asLong()).isEqualTo(1);

        JsonNode all = search("dr-lambert", mine, "q=chute&contextes=tous&doublons=tous");
        assertThat(all.get("total").asLong()).isEqualTo(4);
        java.util.Set<String> contexts = new java.util.HashSet<>();
        all.get("hits").forEach(h -> contexts.add(h.get("context").asString()));
        assertThat(contexts).contains("affirmed", "negated", "hypothetical", "other-person");
        java.util.List<String> snippets = new java.util.ArrayList<>();
        all.get("hits").forEach(h -> h.get("snippets").forEach(x -> snippets.add(x.asString())));
        assertThat(snippets).anyMatch(x -> x.contains("<mark class=\"t1 negated\">chute</mark>"));
        // a synonym's phrase is marked whole, not word by word elsewhere in the text
        assertThat(byDefault.get("hits").get(0).get("snippets").get(0).asString())
                .startsWith("Patiente <mark class=\"t1\">retrouvée</mark> <mark class=\"t1\">au</mark> "
                        + "<mark class=\"t1\">sol</mark> ce matin par l&#39;infirmière.");
    }

    @Test
    void aMaskedDocumentLeavesNoTraceInAnyPartOfTheAnswer() throws Exception {
        document(mine, "2022-05-05", "Sérologie zébrurine positive, prise en charge spécialisée.", "MASQUE_PS");
        document(mine, "2022-05-06", "Zébrurine : pas d'autre mention ici ? non, un document visible.", null);
        document(mine, "2022-05-06", "Zébrurine : pas d'autre mention ici ? non, un document visible.", null);

        JsonNode system = searchUntil("integration", mine, "q=zebrurine&doublons=tous", 3);
        assertThat(system.get("total").asLong()).isEqualTo(3);

        JsonNode lambert = search("dr-lambert", mine, "q=zebrurine&contextes=tous");
        assertThat(lambert.get("total").asLong()).isEqualTo(2);
        assertThat(lambert.get("shownGroups").asLong()).isEqualTo(1);
        assertThat(lambert.get("hits")).hasSize(1);
        assertThat(lambert.get("hits").get(0).get("copies")).hasSize(1);
        assertThat(lambert.toString()).doesNotContain("rologie").doesNotContain("spécialisée");
        assertThat(facet(lambert, "annee", "2022")).isEqualTo(2);
        assertThat(lambert.get("timelines").get(0).get("count").asLong()).isEqualTo(2);
        JsonNode masked = search("dr-lambert", mine, "q=" + enc("sérologie"));
        assertThat(masked.get("total").asLong()).isZero();
        assertThat(masked.get("hits")).isEmpty();
        assertThat(masked.get("facets").get("annee")).isEmpty();
        assertThat(masked.get("timelines").get(0).get("count").asLong()).isZero();
        assertThat(masked.get("timelines").get(0).get("first").isNull()).isTrue();
        // Not even a spelling neighbour leads to it.
        JsonNode near = search("dr-lambert", mine, "q=" + enc("serologye"));
        assertThat(near.get("total").asLong()).isZero();
    }

    @Test
    void anotherRecordIsNotKnownAndBadQueriesAreClearErrors() throws Exception {
        document(other, "2024-01-01", "Ostéoporose fracturaire.", null);
        HttpResponse<String> elsewhere = getAs("dr-lambert", "/Patient/" + other + "/$search?q=osteoporose");
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = getAs("dr-lambert", "/Patient/" + unique() + "/$search?q=osteoporose");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("is not known");
        assertThat(unknown.body()).contains("is not known");

        for (String bad : new String[] {
            "q=" + enc("\"ouvert"),
            "q=" + enc("OR chute"),
            "q=" + enc("a*"),
            "q=",
            "q=chute&depuis=hier",
            "q=chute&count=0",
            "q=chute&contextes=peut-etre",
            "q=chute&inconnu=1",
            "q=" + enc("depuis:2024-13")
        }) {
            HttpResponse<String> answer = getAs("dr-lambert", "/Patient/" + mine + "/$search?" + bad);
            assertThat(answer.statusCode()).as(bad + " → " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("\"diagnostics\"").doesNotContain("Exception");
        }
        HttpResponse<String> noToken = HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/Patient/" + mine + "/$search?q=x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void postTakesParametersAndTermListsSearchEachTerm() throws Exception {
        document(mine, "2021-02-02", "Épisode de confusion nocturne.", null);
        document(mine, "2023-09-09", "Chute sans gravité.", null);
        searchUntil("dr-lambert", mine, "q=chute", 1);
        String parameters =
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"q\",\"valueString\":\"confusion\"}]}";
        HttpResponse<String> posted =
                sendAs("dr-lambert", "POST", "/Patient/" + mine + "/$search", "application/fhir+json", parameters);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(JSON.readTree(posted.body()).get("total").asLong()).isEqualTo(1);

        String name = "ma liste " + unique().substring(0, 8);
        HttpResponse<String> saved = sendAs(
                "dr-lambert",
                "PUT",
                "/term-lists/" + enc(name).replace("+", "%20"),
                "application/json",
                "{\"terms\":[\"chute\",\"confusion\",\"escarre\"],\"shared\":false}");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        HttpResponse<String> lists = getAs("dr-lambert", "/term-lists");
        assertThat(lists.body()).contains(name).contains("syndromes gériatriques");
        assertThat(getAs("dr-moreau", "/term-lists").body()).doesNotContain(name);

        JsonNode byList = search("dr-lambert", mine, "liste=" + enc(name));
        assertThat(byList.get("total").asLong()).isEqualTo(2);
        assertThat(byList.get("timelines")).hasSize(3);
        assertThat(byList.get("timelines").get(0).get("count").asLong()).isEqualTo(1);
        assertThat(byList.get("timelines").get(2).get("count").asLong()).isZero();
        HttpResponse<String> badList =
                sendAs("dr-lambert", "PUT", "/term-lists/vide", "application/json", "{\"terms\":[]}");
        assertThat(badList.statusCode()).isEqualTo(400);
        assertThat(sendAs("dr-lambert", "DELETE", "/term-lists/" + enc(name).replace("+", "%20"), null, null)
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void aFallingWeightIsASignalWithItsValues() throws Exception {
        weight(mine, "2024-01-10", 77);
        weight(mine, "2024-03-10", 74);
        weight(mine, "2024-06-02", 71);
        JsonNode found = searchUntil("dr-lambert", mine, "q=" + enc("amaigrissement"), 0);
        for (int i = 0; i < 100 && found.get("signals").isEmpty(); i++) {
            Thread.sleep(100);
            found = search("dr-lambert", mine, "q=" + enc("amaigrissement"));
        }
        assertThat(found.get("signals")).hasSize(1);
        JsonNode signal = found.get("signals").get(0);
        assertThat(signal.get("kind").asString()).isEqualTo("weight-loss");
        assertThat(signal.get("summary").asString())
                .contains("77")
                .contains("71")
                .contains("Signal dérivé");
        assertThat(signal.get("values")).hasSize(3);
    }

    @Test
    void codedFactsAreFoundByTheirCodeTheirLabelAndTheirClass() throws Exception {
        String drug = "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\","
                + "\"subject\":{\"reference\":\"Patient/" + mine + "\"},\"authoredOn\":\"2023-05-04\","
                + "\"medicationCodeableConcept\":{\"coding\":[{\"system\":\"http://www.whocc.no/atc\","
                + "\"code\":\"B01AF02\",\"display\":\"Apixaban\"}],\"text\":\"Eliquis 5 mg\"}}";
        assertThat(send("POST", "/MedicationRequest", "application/fhir+json", drug)
                        .statusCode())
                .isEqualTo(201);
        String condition = "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/" + mine
                + "\"},\"recordedDate\":\"2019-01-01\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://hl7.org/fhir/sid/icd-10\",\"code\":\"I10\",\"display\":\"Hypertension essentielle\"}]}}";
        assertThat(send("POST", "/Condition", "application/fhir+json", condition)
                        .statusCode())
                .isEqualTo(201);

        JsonNode byClass = searchUntil("dr-lambert", mine, "q=anticoagulant", 1);
        assertThat(byClass.get("hits").get(0).get("type").asString()).isEqualTo("MedicationRequest");
        assertThat(search("dr-lambert", mine, "q=B01AF02").get("total").asLong())
                .isEqualTo(1);
        assertThat(searchUntil("dr-lambert", mine, "q=HTA", 1)
                        .get("hits")
                        .get(0)
                        .get("type")
                        .asString())
                .isEqualTo("Condition");
        assertThat(search("dr-lambert", mine, "q=I10").get("total").asLong()).isEqualTo(1);
        assertThat(search("dr-lambert", mine, "q=" + enc("type:traitement apixaban"))
                        .get("total")
                        .asLong())
                .isEqualTo(1);
        HttpResponse<String> fhir =
                getAs("dr-lambert", "/MedicationRequest?patient=" + mine + "&_content=anticoagulant");
        assertThat(fhir.statusCode()).as(fhir.body()).isEqualTo(200);
        assertThat(fhir.body()).contains("B01AF02");
        HttpResponse<String> noPatient = getAs("dr-lambert", "/DocumentReference?_content=chute");
        assertThat(noPatient.statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode search(String identity, String patient, String query) throws Exception {
        HttpResponse<String> answer = getAs(identity, "/Patient/" + patient + "/$search?" + query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** The search once the index has caught up with the writes (it follows them after their commit). */
    private JsonNode searchUntil(String identity, String patient, String query, long total) throws Exception {
        return eventually(
                () -> search(identity, patient, query), r -> r.get("total").asLong() >= total);
    }

    private static long facet(JsonNode results, String facet, String value) {
        for (JsonNode v : results.get("facets").get(facet)) {
            if (v.get("value").asString().equals(value)) {
                return v.get("count").asLong();
            }
        }
        return 0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String document(String patient, String date, String text, String label) throws Exception {
        String json = SearchFixtures.document(
                        patient, "11488-4", date, text + " Réf. " + counter.incrementAndGet(), label, null)
                .replace("\"code\":\"11488-4\"}", "\"code\":\"11488-4\",\"display\":\"Compte rendu de consultation\"}");
        HttpResponse<String> created = send("POST", "/DocumentReference", "application/fhir+json", json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return SearchFixtures.id(created.body());
    }

    private void weight(String patient, String date, double kg) throws Exception {
        HttpResponse<String> created =
                send("POST", "/Observation", "application/fhir+json", SearchFixtures.weight(patient, date, kg));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
}
