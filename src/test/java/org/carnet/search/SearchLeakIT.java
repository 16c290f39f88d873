package org.carnet.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.carnet.CarnetIT;
import org.carnet.access.AccessRules;
import org.carnet.access.AccessScenario;
import org.carnet.access.DemoIdentities;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every way the access matrix hides a document, asked through {@code $search} and {@code _content}: a word found only
 * in hidden documents gives what a word found nowhere gives (total 0, no hit, snippet, facet, timeline point, copy or
 * signal), and a word found in hidden and visible documents shows only the visible ones. The record {@code rec}:
 * Dr Moreau médecin traitant, nurse and pharmacist in the care team, the dentist authorised, Dr Lambert blocked.
 */
class SearchLeakIT extends CarnetIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MOREAU = DemoIdentities.TRAITANT_IDNAT;
    private static final String LAMBERT = "810005820468";
    private static final String NURSE = "810100000013";
    private static final String PHARMACIST = "810100000021";
    private static final String DENTIST = "810100000039";

    /** In every document of {@code rec}. */
    private static final String SHARED = "girouflet";
    /** In the visible consultation and its masked copy. */
    private static final String CONSULT = "orthalgie";
    /** Only in a masked document authored by someone else than the dentist. */
    private static final String MASKED = "pralinose";
    /** Only in a masked document authored by the dentist. */
    private static final String DENTISTS_OWN = "dentalgique";
    /** Only in the psychiatric synthesis (28627-8), outside the dentist's matrix. */
    private static final String PSY = "tristambule";

    private static final String CONSULTATION = "Consultation de suivi : " + SHARED + " stable, " + CONSULT
            + " du genou droit, poursuite du traitement par antalgiques, revoir dans trois mois.";

    /** The shared record, written once for the class (an emergency access counts against the hourly limit). */
    private static Rec rec;

    private static AccessScenario scenario;

    private record Rec(
            String id,
            String consult,
            String maskedCopy,
            String masked,
            String dentistsOwn,
            String psy,
            String rx,
            List<String> weights) {}

    @Autowired
    AccessRules rules;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void record() throws Exception {
        if (scenario == null) {
            scenario = AccessScenario.seed(client, new AccessScenario.Access() {
                @Override
                public IGenericClient as(String identity) {
                    return clientAs(identity);
                }

                @Override
                public AccessRules rules() {
                    return rules;
                }
            });
        }
        if (rec != null) {
            return;
        }
        String id = created(patient("Fuite", unique())).getIdElement().getIdPart();
        String dentist = practitioner(DENTIST, "Blanc");
        String other = practitioner("810100000062", "Autre");
        accessRule(id, "$designate-traitant", MOREAU);
        accessRule(id, "$add-care-team", NURSE);
        accessRule(id, "$add-care-team", PHARMACIST);
        accessRule(id, "$authorise", DENTIST);
        accessRule(id, "$block", LAMBERT);
        String consult = document(id, "11488-4", "2024-03-12", CONSULTATION, null, null);
        String maskedCopy = document(id, "11488-4", "2021-06-01", CONSULTATION, "MASQUE_PS", other);
        String masked = document(
                id,
                "11488-4",
                "2020-02-02",
                "Sérologie " + MASKED + " positive, " + SHARED + " associé, orientation spécialisée.",
                "MASQUE_PS",
                other);
        String dentistsOwn = document(
                id,
                "11488-4",
                "2020-04-04",
                "Soins dentaires : douleur " + DENTISTS_OWN + " de la molaire, " + SHARED + " noté.",
                "MASQUE_PS",
                dentist);
        String psy = document(
                id,
                "28627-8",
                "2022-09-09",
                "Synthèse psychiatrique : humeur " + PSY + " réactionnelle, " + SHARED + " rapporté.",
                null,
                null);
        String rx = document(
                id,
                "57833-6",
                "2023-11-20",
                "Ordonnance : " + SHARED + " cinq cents milligrammes, deux prises par jour.",
                null,
                null);
        List<String> weights =
                List.of(weight(id, "2024-01-10", 77), weight(id, "2024-03-10", 74), weight(id, "2024-06-02", 71));
        rec = new Rec(id, consult, maskedCopy, masked, dentistsOwn, psy, rx, weights);
        // Everything is indexed once the system, who sees all, finds all of it.
        JsonNode all =
                eventually(() -> search(SYSTEM, id, SHARED), r -> r.get("total").asLong() == 6);
        assertThat(all.get("total").asLong()).as(all.toString()).isEqualTo(6);
        JsonNode signal = eventually(
                () -> search(SYSTEM, id, "amaigrissement"),
                r -> !r.get("signals").isEmpty());
        assertThat(signal.get("signals")).as("the weights are indexed").hasSize(1);
    }

    @Test
    void theMedecinTraitantSeesEverythingSoTheHiddenWordsAreReallyThere() throws Exception {
        JsonNode shared = search("dr-moreau", rec.id(), SHARED);
        assertThat(shared.get("total").asLong()).isEqualTo(6);
        JsonNode consult = search("dr-moreau", rec.id(), CONSULT);
        assertThat(consult.get("total").asLong()).isEqualTo(2);
        assertThat(consult.get("shownGroups").asLong()).isEqualTo(1);
        assertThat(consult.get("hits").get(0).get("copies")).hasSize(1);
        assertThat(search("dr-moreau", rec.id(), MASKED).get("total").asLong()).isEqualTo(1);
        assertThat(search("dr-moreau", rec.id(), PSY).get("total").asLong()).isEqualTo(1);
        assertThat(search("dr-moreau", rec.id(), "amaigrissement").get("signals"))
                .hasSize(1);
    }

    @Test
    void aMaskedDocumentIsHiddenFromProfessionalsButItsAuthor() throws Exception {
        assertNothing(search("dentiste", rec.id(), MASKED), MASKED);
        assertThat(search("dentiste", rec.id(), DENTISTS_OWN).get("total").asLong())
                .as("the dentist wrote it")
                .isEqualTo(1);
        for (String[] emergency :
                List.of(new String[] {"urgentiste", "bris-de-glace"}, new String[] {"regulateur", "centre-15"})) {
            String[] headers = emergency(emergency[1], rec.id());
            assertNothing(search(emergency[0], rec.id(), MASKED, headers), MASKED);
            assertNothing(search(emergency[0], rec.id(), DENTISTS_OWN, headers), DENTISTS_OWN);
        }
    }

    @Test
    void aWordInHiddenAndVisibleDocumentsShowsOnlyTheVisibleOnes() throws Exception {
        // who, headers, the documents of rec they see that mention SHARED
        record Case(String identity, String[] headers, List<String> visible) {}
        List<Case> cases = List.of(
                new Case("dentiste", new String[0], List.of(rec.consult(), rec.rx(), rec.dentistsOwn())),
                new Case("infirmier", new String[0], List.of(rec.rx())),
                new Case("pharmacienne", new String[0], List.of(rec.rx())),
                new Case(
                        "urgentiste",
                        emergency("bris-de-glace", rec.id()),
                        List.of(rec.consult(), rec.psy(), rec.rx())),
                new Case("regulateur", emergency("centre-15", rec.id()), List.of(rec.consult(), rec.psy(), rec.rx())));
        List<String> all =
                List.of(rec.consult(), rec.maskedCopy(), rec.masked(), rec.dentistsOwn(), rec.psy(), rec.rx());
        for (Case c : cases) {
            JsonNode found = search(c.identity(), rec.id(), SHARED, c.headers());
            assertThat(found.get("total").asLong())
                    .as(c.identity())
                    .isEqualTo(c.visible().size());
            assertThat(references(found))
                    .as(c.identity())
                    .containsExactlyInAnyOrderElementsOf(c.visible().stream()
                            .map(d -> "DocumentReference/" + d)
                            .toList());
            assertThat(found.get("timelines").get(0).get("count").asLong())
                    .as(c.identity())
                    .isEqualTo(c.visible().size());
            long perYear = 0;
            for (JsonNode year : found.get("timelines").get(0).get("perYear")) {
                perYear += year.asLong();
            }
            assertThat(perYear).as(c.identity()).isEqualTo(c.visible().size());
            for (JsonNode value : found.get("facets").get("annee")) {
                assertThat(value.get("count").asLong()).isPositive();
            }
            long years = 0;
            for (JsonNode value : found.get("facets").get("annee")) {
                years += value.get("count").asLong();
            }
            assertThat(years)
                    .as(c.identity() + " " + found)
                    .isEqualTo(c.visible().size());
            String text = found.toString();
            for (String hidden : all) {
                if (!c.visible().contains(hidden)) {
                    assertThat(text).as(c.identity()).doesNotContain(hidden);
                }
            }
            assertThat(text).as(c.identity()).doesNotContain(MASKED).doesNotContain("Sérologie");
            if (!c.visible().contains(rec.psy())) {
                assertThat(text).as(c.identity()).doesNotContain(PSY).doesNotContain("psychiatrique");
                assertNothing(search(c.identity(), rec.id(), PSY, c.headers()), PSY);
            }
            if (!c.visible().contains(rec.consult())) {
                assertNothing(search(c.identity(), rec.id(), CONSULT, c.headers()), CONSULT);
            }
            assertNothing(search(c.identity(), rec.id(), MASKED, c.headers()), MASKED);

            List<String> byContent = content(c.identity(), rec.id(), SHARED, c.headers());
            assertThat(byContent).as(c.identity() + " _content").containsExactlyInAnyOrderElementsOf(c.visible());
            assertThat(content(c.identity(), rec.id(), MASKED, c.headers()))
                    .as(c.identity() + " _content")
                    .isEmpty();
        }
    }

    @Test
    void aDuplicateGroupCountsOnlyTheVisibleCopies() throws Exception {
        for (String[] who :
                List.of(new String[] {"dentiste"}, new String[] {"urgentiste", "bris-de-glace"}, new String[] {
                    "regulateur", "centre-15"
                })) {
            String[] headers = who.length == 1 ? new String[0] : emergency(who[1], rec.id());
            JsonNode found = search(who[0], rec.id(), CONSULT, headers);
            assertThat(found.get("total").asLong()).as(who[0]).isEqualTo(1);
            assertThat(found.get("shownGroups").asLong()).isEqualTo(1);
            JsonNode hit = found.get("hits").get(0);
            assertThat(hit.get("reference").asString()).isEqualTo("DocumentReference/" + rec.consult());
            assertThat(hit.get("copies")).as(who[0]).isEmpty();
            JsonNode timeline = found.get("timelines").get(0);
            assertThat(timeline.get("first").asString()).isEqualTo("2024-03-12");
            assertThat(timeline.get("perYear").has("2021")).isFalse();
            assertThat(found.toString()).doesNotContain(rec.maskedCopy()).doesNotContain("2021");
            JsonNode all = search(who[0], rec.id(), CONSULT + "&doublons=tous", headers);
            assertThat(all.get("hits")).hasSize(1);
        }
    }

    @Test
    void typesOutsideTheProfessionsMatrixLeaveNoTrace() throws Exception {
        for (String identity : List.of("infirmier", "pharmacienne")) {
            assertNothing(search(identity, rec.id(), CONSULT), CONSULT);
            assertNothing(search(identity, rec.id(), PSY), PSY);
            assertThat(content(identity, rec.id(), CONSULT)).isEmpty();
        }
        assertNothing(search("dentiste", rec.id(), PSY), PSY);
        assertThat(content("dentiste", rec.id(), PSY)).isEmpty();
        // The pharmacist sees no Observation: no weight, so no signal derived from the weights.
        JsonNode pharmacist = search("pharmacienne", rec.id(), "amaigrissement");
        assertThat(pharmacist.get("signals")).isEmpty();
        assertThat(pharmacist.toString()).doesNotContain(rec.weights().get(0)).doesNotContain("Poids");
        assertThat(search("infirmier", rec.id(), "amaigrissement").get("signals"))
                .as("the nurse sees the weights")
                .hasSize(1);
        // The identity officer sees the Patient resource and nothing clinical.
        for (String word : List.of(SHARED, CONSULT, MASKED, PSY, "amaigrissement")) {
            assertNothing(search("identitovigilance", rec.id(), word), word);
        }
    }

    @Test
    void aBlockedOrUnauthorisedProfessionalIsToldTheRecordDoesNotExist() throws Exception {
        String unknown = unique();
        HttpResponse<String> never = getAs("dr-lambert", "/Patient/" + unknown + "/$search?q=" + SHARED);
        for (String identity : List.of("dr-lambert", "urgentiste", "regulateur", "operateur")) {
            HttpResponse<String> answer = getAs(identity, "/Patient/" + rec.id() + "/$search?q=" + SHARED);
            assertThat(answer.statusCode()).as(identity).isEqualTo(404);
            assertThat(answer.body().replace(rec.id(), "ID"))
                    .as(identity)
                    .isEqualTo(never.body().replace(unknown, "ID"));
            HttpResponse<String> byContent =
                    getAs(identity, "/DocumentReference?patient=" + rec.id() + "&_content=" + SHARED + "&_count=100");
            assertThat(byContent.body())
                    .as(identity)
                    .doesNotContain(rec.consult())
                    .doesNotContain(rec.rx());
        }
        HttpResponse<String> blockedInEmergency = getAs(
                "dr-lambert", "/Patient/" + rec.id() + "/$search?q=" + SHARED, emergency("bris-de-glace", rec.id()));
        assertThat(blockedInEmergency.statusCode()).isEqualTo(403);
        assertThat(blockedInEmergency.body()).doesNotContain(SHARED).doesNotContain(rec.consult());
    }

    @Test
    void aRevokedAuthorisationTakesEffectOnTheNextSearch() throws Exception {
        String patient = created(patient("Revoque", unique())).getIdElement().getIdPart();
        String word = "colibrique";
        String doc = document(patient, "11488-4", "2024-02-02", "Examen : " + word + " modéré.", null, null);
        accessRule(patient, "$authorise", "810100000054");
        JsonNode before = eventually(
                () -> search("regulateur", patient, word), r -> r.get("total").asLong() == 1);
        assertThat(references(before)).containsExactly("DocumentReference/" + doc);
        assertThat(content("regulateur", patient, word)).containsExactly(doc);

        accessRule(patient, "$revoke", "810100000054");

        HttpResponse<String> after = getAs("regulateur", "/Patient/" + patient + "/$search?q=" + word);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).doesNotContain(doc).doesNotContain(word);
        HttpResponse<String> byContent =
                getAs("regulateur", "/DocumentReference?patient=" + patient + "&_content=" + word);
        assertThat(byContent.body()).doesNotContain(doc);
    }

    @Test
    void theHolderAndAParentDoNotFindWhatIsHiddenFromThem() throws Exception {
        String patJ = scenario.id("patJ");
        String patL = scenario.id("patL");
        String visibleJ = document(patJ, "11488-4", "2024-05-05", "Contrôle : " + SHARED + " normal.", null, null);
        String invisibleJ = document(
                patJ,
                "11502-2",
                "2024-05-06",
                "Résultat : carcinolithe, " + SHARED + " à annoncer.",
                "INVISIBLE_PATIENT",
                null);
        String visibleL = document(patL, "11488-4", "2024-05-05", "Visite : " + SHARED + " rassurant.", null, null);
        String hiddenFromParents = document(
                patL,
                "11488-4",
                "2024-05-07",
                "Confidence : melancolite, " + SHARED + " évoqué seul.",
                "INVISIBLE_REPRESENTANTS_LEGAUX",
                null);
        String hiddenFromChild = document(
                patL, "11502-2", "2024-05-08", "Résultat : ostéonique, " + SHARED + ".", "INVISIBLE_PATIENT", null);
        eventually(() -> search(SYSTEM, patJ, SHARED), r -> r.get("total").asLong() == 2);
        eventually(() -> search(SYSTEM, patL, SHARED), r -> r.get("total").asLong() == 3);

        assertNothing(search("jeanne", patJ, "carcinolithe"), "carcinolithe");
        JsonNode jeanne = search("jeanne", patJ, SHARED);
        assertThat(references(jeanne)).containsExactly("DocumentReference/" + visibleJ);
        assertThat(jeanne.get("total").asLong()).isEqualTo(1);
        assertThat(jeanne.toString()).doesNotContain(invisibleJ).doesNotContain("annoncer");
        assertThat(content("jeanne", patJ, SHARED)).containsExactly(visibleJ);
        assertThat(content("jeanne", patJ, "carcinolithe")).isEmpty();
        // A MedicationRequest whose medication is a CodeableConcept is indexed (it once failed the whole event).
        JsonNode metformin = eventually(
                () -> search("jeanne", patJ, "metformine"), r -> r.get("total").asLong() == 1);
        assertThat(references(metformin)).containsExactly(scenario.ref("medJ"));

        for (String word : List.of("melancolite", "ostéonique")) {
            assertNothing(search("sophie", patL, word), word);
            assertThat(content("sophie", patL, word)).isEmpty();
        }
        JsonNode sophie = search("sophie", patL, SHARED);
        assertThat(references(sophie)).containsExactly("DocumentReference/" + visibleL);
        assertThat(sophie.toString()).doesNotContain(hiddenFromParents).doesNotContain(hiddenFromChild);
        assertThat(content("sophie", patL, SHARED)).containsExactly(visibleL);
        // The holder does not reach another record by search.
        assertThat(getAs("jeanne", "/Patient/" + patL + "/$search?q=" + SHARED).statusCode())
                .isEqualTo(404);
        assertThat(getAs("sophie", "/Patient/" + patJ + "/$search?q=" + SHARED).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theHoldersTrailRecordsTheSearchAndTheDocumentsShownNeverTheWords() throws Exception {
        String patJ = scenario.id("patJ");
        String word = "scaphoïdite";
        String visible = document(patJ, "11488-4", "2023-01-01", "Radio : " + word + " du poignet.", null, null);
        String hidden = document(
                patJ, "11502-2", "2023-01-02", "Résultat : " + word + " confirmée.", "INVISIBLE_PATIENT", null);
        eventually(() -> search(SYSTEM, patJ, word), r -> r.get("total").asLong() == 2);
        long before = entries(patJ);

        JsonNode moreau = search("dr-moreau", patJ, word);
        assertThat(references(moreau))
                .containsExactlyInAnyOrder("DocumentReference/" + visible, "DocumentReference/" + hidden);
        assertThat(content("dr-moreau", patJ, word)).containsExactlyInAnyOrder(visible, hidden);

        assertThat(entries(patJ)).as("one entry per request").isEqualTo(before + 2);
        List<String> stored = jdbc.queryForList(
                "select content from audit_entry where patient_id = ? order by seq desc limit 2", String.class, patJ);
        for (String entry : stored) {
            assertThat(entry)
                    .as("the words searched are not written in the trail")
                    .doesNotContain(word)
                    .doesNotContain("scapho")
                    .contains("DocumentReference/" + visible)
                    .contains("DocumentReference/" + hidden)
                    .contains(MOREAU);
        }

        HttpResponse<String> trail = getAs("jeanne", "/Patient/" + patJ + "/$trail");
        assertThat(trail.statusCode()).isEqualTo(200);
        assertThat(trail.body())
                .doesNotContain("scapho")
                .doesNotContain(hidden)
                .contains("DocumentReference/" + visible)
                .contains("Dr Philippe Moreau");
        HttpResponse<String> whole = getAs(SYSTEM, "/Patient/" + patJ + "/$trail");
        assertThat(whole.body()).doesNotContain("scapho").contains("DocumentReference/" + hidden);
    }

    // ------------------------------------------------------------------ helpers

    /** A search that found nothing at all, as for a word that is nowhere in the record. */
    private static void assertNothing(JsonNode found, String word) {
        String as = word + " → " + found;
        assertThat(found.get("total").asLong()).as(as).isZero();
        assertThat(found.get("shownGroups").asLong()).as(as).isZero();
        assertThat(found.get("hits")).as(as).isEmpty();
        for (JsonNode values : found.get("facets")) {
            assertThat(values).as(as).isEmpty();
        }
        for (JsonNode timeline : found.get("timelines")) {
            assertThat(timeline.get("count").asLong()).as(as).isZero();
            assertThat(timeline.get("first").isNull()).as(as).isTrue();
            assertThat(timeline.get("last").isNull()).as(as).isTrue();
            assertThat(timeline.get("perYear")).as(as).isEmpty();
        }
        assertThat(found.get("signals")).as(as).isEmpty();
        assertThat(found.get("approximate").asBoolean())
                .as("no neighbour of a hidden word: " + as)
                .isFalse();
        assertThat(found.toString()).as(as).doesNotContain("<mark");
    }

    private JsonNode search(String identity, String patient, String words, String... headers) throws Exception {
        // words, then any further parameters as they are ("orthalgie&doublons=tous")
        int amp = words.indexOf('&');
        String query = amp < 0
                ? "q=" + enc(words) + "&contextes=tous"
                : "q=" + enc(words.substring(0, amp)) + words.substring(amp) + "&contextes=tous";
        HttpResponse<String> answer = getAs(identity, "/Patient/" + patient + "/$search?" + query, headers);
        assertThat(answer.statusCode()).as(identity + " " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** The ids of {@code DocumentReference?patient=…&_content=…} as {@code identity} sees them. */
    private List<String> content(String identity, String patient, String words, String... headers) throws Exception {
        HttpResponse<String> answer = getAs(
                identity, "/DocumentReference?patient=" + patient + "&_content=" + enc(words) + "&_count=100", headers);
        assertThat(answer.statusCode()).as(identity + " " + answer.body()).isEqualTo(200);
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
        return bundle.getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
    }

    private static List<String> references(JsonNode found) {
        List<String> references = new ArrayList<>();
        for (JsonNode hit : found.get("hits")) {
            references.add(hit.get("reference").asString());
            hit.get("copies").forEach(c -> references.add(c.asString()));
        }
        return references;
    }

    private static String[] emergency(String mode, String patient) {
        return new String[] {
            "Carnet-Access-Mode", mode, "Carnet-Access-Patient", patient, "Carnet-Access-Reason", "Patient inconscient"
        };
    }

    private long entries(String patient) {
        Long count = jdbc.queryForObject("select count(*) from audit_entry where patient_id = ?", Long.class, patient);
        return count == null ? 0 : count;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String document(String patient, String loinc, String date, String text, String label, String author)
            throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/DocumentReference",
                "application/fhir+json",
                SearchFixtures.document(patient, loinc, date, text, label, author));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return SearchFixtures.id(created.body());
    }

    private String weight(String patient, String date, double kg) throws Exception {
        HttpResponse<String> created =
                send("POST", "/Observation", "application/fhir+json", SearchFixtures.weight(patient, date, kg));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return SearchFixtures.id(created.body());
    }
}
