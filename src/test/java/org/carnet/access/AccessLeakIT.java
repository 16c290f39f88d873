package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A resource hidden from a caller leaves no trace: the emergency physician in bris de glace on Jeanne's record does
 * not see her masked document ({@code docJmasked}); every side channel is asked and compared with what a resource
 * that never existed gives.
 */
class AccessLeakIT extends AccessScenarioIT {

    private static final String URGENTISTE = "urgentiste";

    String hidden;
    String neverExisted;
    String[] emergency;

    @BeforeEach
    void hiddenDocument() {
        hidden = scenario.id("docJmasked");
        neverExisted = UUID.randomUUID().toString();
        emergency = new String[] {
            "Carnet-Access-Mode",
            "bris-de-glace",
            "Carnet-Access-Patient",
            scenario.id("patJ"),
            "Carnet-Access-Reason",
            "Patiente inconsciente aux urgences"
        };
    }

    @Test
    void readVreadHistoryAndErrorsAnswerAsForAResourceThatNeverExisted() throws Exception {
        for (String suffix : List.of("", "/_history", "/_history/1")) {
            HttpResponse<String> masked = get("/DocumentReference/" + hidden + suffix);
            HttpResponse<String> unknown = get("/DocumentReference/" + neverExisted + suffix);
            assertThat(masked.statusCode())
                    .as(suffix)
                    .isEqualTo(unknown.statusCode())
                    .isEqualTo(404);
            assertThat(masked.body().replace(hidden, "ID"))
                    .as(suffix)
                    .isEqualTo(unknown.body().replace(neverExisted, "ID"));
        }
    }

    @Test
    void countsTotalsAndPagesHoldOnlyVisibleDocuments() throws Exception {
        String patJ = scenario.id("patJ");
        int allDocuments = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        send("GET", "/DocumentReference?patient=" + patJ + "&_summary=count", null, null)
                                .body())
                .getTotal();
        Bundle count = bundle("/DocumentReference?patient=" + patJ + "&_summary=count");
        Bundle total = bundle("/DocumentReference?patient=" + patJ + "&_total=accurate&_count=100");
        assertThat(count.getTotal())
                .isEqualTo(total.getTotal())
                .isEqualTo(total.getEntry().size())
                .isEqualTo(allDocuments - 1);

        List<String> paged = new ArrayList<>();
        Bundle page = bundle("/DocumentReference?patient=" + patJ + "&_count=1");
        int pages = 1;
        while (true) {
            page.getEntry()
                    .forEach(e -> paged.add(e.getResource().getIdElement().getIdPart()));
            if (page.getLink("next") == null) {
                break;
            }
            page = FHIR.newJsonParser()
                    .parseResource(
                            Bundle.class,
                            sendAs(URGENTISTE, "GET", page.getLink("next").getUrl(), null, null, emergency)
                                    .body());
            pages++;
        }
        assertThat(paged).hasSize(count.getTotal()).doesNotContain(hidden);
        assertThat(pages).isEqualTo(count.getTotal());
    }

    @Test
    void aPageLinkServesOnlyTheCallerWhoMadeIt() throws Exception {
        Bundle first = bundle("/DocumentReference?patient=" + scenario.id("patJ") + "&_count=1");
        String next = first.getLink("next").getUrl();
        String made = next.replaceAll("_getpages=[^&]+", "_getpages=" + UUID.randomUUID());

        HttpResponse<String> other = sendAs("dr-moreau", "GET", next, null, null);
        HttpResponse<String> madeUp = sendAs("dr-moreau", "GET", made, null, null);
        HttpResponse<String> sameCallerOtherMode = sendAs(URGENTISTE, "GET", next, null, null);

        assertThat(other.statusCode())
                .isEqualTo(madeUp.statusCode())
                .isEqualTo(sameCallerOtherMode.statusCode())
                .isNotEqualTo(200);
        assertThat(sendAs(URGENTISTE, "GET", next, null, null, emergency).statusCode())
                .isEqualTo(200);
    }

    @Test
    void includesAndReverseIncludesDoNotBringItIn() throws Exception {
        String dentist = scenario.id("practDentist");
        Bundle byAuthor = bundle("/Practitioner?_id=" + dentist + "&_revinclude=DocumentReference:author");
        Bundle everything = bundle("/Patient?_id=" + scenario.id("patJ") + "&_revinclude=DocumentReference:*");
        Bundle withAuthors =
                bundle("/DocumentReference?patient=" + scenario.id("patJ") + "&_include=DocumentReference:*");

        assertThat(ids(byAuthor)).containsExactly("Practitioner/" + dentist);
        assertThat(ids(everything))
                .doesNotContain("DocumentReference/" + hidden)
                .contains(scenario.ref("docJ"));
        assertThat(ids(withAuthors)).doesNotContain("DocumentReference/" + hidden);
    }

    @Test
    void chainedAndReverseChainedSearchesAreRefusedAlikeForEveryone() throws Exception {
        for (String query : List.of(
                "/Patient?_has:DocumentReference:patient:_id=" + hidden,
                "/Patient?_has:DocumentReference:patient:_id=" + neverExisted,
                "/DocumentReference?patient.name=Dubois")) {
            HttpResponse<String> asUrgentiste = sendAs(URGENTISTE, "GET", query, null, null, emergency);
            HttpResponse<String> asSystem = send("GET", query, null, null);
            assertThat(asUrgentiste.statusCode())
                    .as(query)
                    .isEqualTo(asSystem.statusCode())
                    .isEqualTo(400);
            assertThat(asUrgentiste.body().replace(hidden, "ID").replace(neverExisted, "ID"))
                    .as(query)
                    .isEqualTo(asSystem.body().replace(hidden, "ID").replace(neverExisted, "ID"));
        }
    }

    @Test
    void typeHistoryAndEverythingLeaveItOut() throws Exception {
        HttpResponse<String> history = getAs(URGENTISTE, "/DocumentReference/_history?_count=1000", emergency);
        HttpResponse<String> everything =
                getAs(URGENTISTE, "/Patient/" + scenario.id("patJ") + "/$everything?_count=1000", emergency);
        assertThat(history.body()).doesNotContain(hidden).contains(scenario.id("docJ"));
        assertThat(everything.body()).doesNotContain(hidden).contains(scenario.id("docJ"));
    }

    @Test
    void writesCannotProbeForIt() throws Exception {
        DocumentReference overwrite = new DocumentReference();
        overwrite
                .setStatus(Enumerations.DocumentReferenceStatus.CURRENT)
                .setSubject(new Reference(scenario.ref("patJ")));
        for (String[] attempt : List.<String[]>of(
                new String[] {"PUT", "/DocumentReference/" + hidden, "/DocumentReference/" + neverExisted},
                new String[] {"DELETE", "/DocumentReference/" + hidden, "/DocumentReference/" + neverExisted})) {
            HttpResponse<String> onHidden = sendAs(
                    URGENTISTE,
                    attempt[0],
                    attempt[1],
                    "application/fhir+json",
                    attempt[0].equals("PUT")
                            ? FHIR.newJsonParser().encodeResourceToString(overwrite.setId(hidden))
                            : null,
                    emergency);
            HttpResponse<String> onUnknown = sendAs(
                    URGENTISTE,
                    attempt[0],
                    attempt[2],
                    "application/fhir+json",
                    attempt[0].equals("PUT")
                            ? FHIR.newJsonParser().encodeResourceToString(overwrite.setId(neverExisted))
                            : null,
                    emergency);
            assertThat(onHidden.statusCode())
                    .as(attempt[0])
                    .isEqualTo(onUnknown.statusCode())
                    .isEqualTo(404);
            assertThat(onHidden.body().replace(hidden, "ID"))
                    .isEqualTo(onUnknown.body().replace(neverExisted, "ID"));
        }

        HttpResponse<String> pointingAtHidden = createObservationDerivedFrom(hidden);
        HttpResponse<String> pointingAtUnknown = createObservationDerivedFrom(neverExisted);
        assertThat(pointingAtHidden.statusCode())
                .isEqualTo(pointingAtUnknown.statusCode())
                .isEqualTo(422);
        assertThat(pointingAtHidden.body().replace(hidden, "ID"))
                .isEqualTo(pointingAtUnknown.body().replace(neverExisted, "ID"));
        assertThat(get("/DocumentReference/" + hidden).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/DocumentReference/" + hidden, null, null).statusCode())
                .as("the hidden document is unchanged and still there")
                .isEqualTo(200);
    }

    @Test
    void theHoldersTrailDoesNotNameWhatIsHiddenFromThem() throws Exception {
        String confidential = scenario.id("docLconf");
        assertThat(getAs("dr-moreau", "/DocumentReference/" + confidential).statusCode())
                .isEqualTo(200);
        assertThat(getAs("dr-moreau", "/DocumentReference?patient=" + scenario.id("patL") + "&type=11488-4")
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> trail = getAs("sophie", "/Patient/" + scenario.id("patL") + "/$trail");

        assertThat(trail.statusCode()).isEqualTo(200);
        assertThat(trail.body())
                .doesNotContain(confidential)
                .doesNotContain("11488-4")
                .contains("Dr Philippe Moreau");
    }

    @Test
    void aDeletedHiddenResourceStaysHidden() throws Exception {
        DocumentReference masked = new DocumentReference();
        masked.setStatus(Enumerations.DocumentReferenceStatus.CURRENT).setSubject(new Reference(scenario.ref("patJ")));
        masked.addContent()
                .getAttachment()
                .setContentType("text/plain")
                .setData("masqué".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        masked.getMeta()
                .addSecurity(
                        new Coding("https://carnet.example.org/fhir/CodeSystem/dmp-visibility", "MASQUE_PS", null));
        String id = client.create().resource(masked).execute().getId().getIdPart();
        client.delete().resourceById("DocumentReference", id).execute();

        for (String suffix : List.of("", "/_history", "/_history/1")) {
            HttpResponse<String> deleted = get("/DocumentReference/" + id + suffix);
            HttpResponse<String> unknown = get("/DocumentReference/" + neverExisted + suffix);
            assertThat(deleted.statusCode())
                    .as(suffix)
                    .isEqualTo(unknown.statusCode())
                    .isEqualTo(404);
        }
        assertThat(get("/DocumentReference/_history?_count=1000").body()).doesNotContain(id);
    }

    @Test
    void aBlockAppliesToPagesOfAnEarlierSearch() throws Exception {
        String patJ = scenario.id("patJ");
        Parameters dentist = new Parameters();
        dentist.addParameter().setName("practitioner").setValue(new StringType(AccessScenario.DENTIST));
        Bundle page = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        getAs("dentiste", "/DocumentReference?patient=" + patJ + "&_count=1")
                                .body());
        String next = page.getLink("next").getUrl();
        try {
            client.operation()
                    .onInstance("Patient/" + patJ)
                    .named("$block")
                    .withParameters(dentist)
                    .execute();
            HttpResponse<String> after = sendAs("dentiste", "GET", next, null, null);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(FHIR.newJsonParser()
                            .parseResource(Bundle.class, after.body())
                            .getEntry())
                    .isEmpty();
        } finally {
            client.operation()
                    .onInstance("Patient/" + patJ)
                    .named("$unblock")
                    .withParameters(dentist)
                    .execute();
        }
    }

    private HttpResponse<String> createObservationDerivedFrom(String documentId) throws Exception {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference(scenario.ref("patJ")));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        observation.addDerivedFrom(new Reference("DocumentReference/" + documentId));
        return sendAs(
                URGENTISTE,
                "POST",
                "/Observation",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(observation),
                emergency);
    }

    @Override
    protected HttpResponse<String> get(String path, String... headers)
            throws java.io.IOException, InterruptedException {
        return getAs(URGENTISTE, path, emergency);
    }

    private Bundle bundle(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }
}
