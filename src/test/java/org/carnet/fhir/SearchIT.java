package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SearchIT extends CarnetIT {

    private String patientId;
    private String otherPatientId;
    private String marker;

    @BeforeEach
    void record() {
        marker = unique();
        patientId = created(patient("Lefèvre", marker)).getIdElement().getIdPart();
        otherPatientId = created(patient("Hélène", unique())).getIdElement().getIdPart();
        Encounter encounter = new Encounter();
        encounter
                .setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new org.hl7.fhir.r4.model.Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                .setSubject(new Reference("Patient/" + patientId));
        String encounterId =
                client.create().resource(encounter).execute().getId().getIdPart();
        weight(patientId, "2019-05-01T10:00:00+02:00", 81, encounterId);
        weight(patientId, "2021-06-01T10:00:00+02:00", 78, encounterId);
        weight(patientId, "2023-07-01T10:00:00+02:00", 74, null);
        glucose(patientId, "2023-07-02T09:00:00+02:00");
        weight(otherPatientId, "2023-07-01T10:00:00+02:00", 60, null);
    }

    @Test
    void findsByTokenWithAndWithoutSystem() throws Exception {
        assertThat(search("Observation?patient=" + patientId + "&code=http://loinc.org|29463-7"))
                .hasSize(3);
        assertThat(search("Observation?patient=" + patientId + "&code=29463-7")).hasSize(3);
        assertThat(search("Observation?patient=" + patientId + "&code=http://snomed.info/sct|29463-7"))
                .isEmpty();
        assertThat(search("Observation?patient=" + patientId + "&code=29463-7,2339-0"))
                .hasSize(4);
        assertThat(search("Observation?patient=" + patientId + "&code:not=29463-7"))
                .hasSize(1);
    }

    @Test
    void patientScopedSearchNeverReturnsAnotherPatientsData() throws Exception {
        List<Observation> observations = search("Observation?patient=Patient/" + patientId);

        assertThat(observations)
                .hasSize(4)
                .allSatisfy(o -> assertThat(o.getSubject().getReference()).isEqualTo("Patient/" + patientId));
        assertThat(search("Observation?subject=Patient/" + otherPatientId)).hasSize(1);
    }

    @Test
    void comparesDatesWithPrefixesAndPrecision() throws Exception {
        String base = "Observation?patient=" + patientId + "&code=29463-7&date=";
        assertThat(search(base + "ge2021-01-01")).hasSize(2);
        assertThat(search(base + "lt2021")).hasSize(1);
        assertThat(search(base + "2021")).hasSize(1);
        assertThat(search(base + "2021-06")).hasSize(1);
        assertThat(search(base + "gt2021-06-01T23:59:59Z")).hasSize(1);
        assertThat(search(base + "ne2021")).hasSize(2);
        assertThat(search(base + "sa2022&date=eb2024")).hasSize(1);
        assertThat(search("Observation?patient=" + patientId + "&code=29463-7&date=ge2020&date=le2022"))
                .hasSize(1);
    }

    @Test
    void matchesStringsCaseAndAccentInsensitivelyByPrefix() throws Exception {
        assertThat(this.<Patient>search("Patient?identifier=urn:carnet:test|" + marker + "&family=lefe"))
                .hasSize(1);
        assertThat(this.<Patient>search("Patient?identifier=urn:carnet:test|" + marker + "&family:exact=Lefèvre"))
                .hasSize(1);
        assertThat(this.<Patient>search("Patient?identifier=urn:carnet:test|" + marker + "&family:exact=lefevre"))
                .isEmpty();
        assertThat(this.<Patient>search("Patient?identifier=urn:carnet:test|" + marker + "&name:contains=FEVR"))
                .hasSize(1);
    }

    @Test
    void sortsByDateBothWays() throws Exception {
        List<Observation> ascending = search("Observation?patient=" + patientId + "&code=29463-7&_sort=date");
        List<Observation> descending = search("Observation?patient=" + patientId + "&code=29463-7&_sort=-date");

        assertThat(ascending)
                .extracting(o -> o.getValueQuantity().getValue().intValue())
                .containsExactly(81, 78, 74);
        assertThat(descending)
                .extracting(o -> o.getValueQuantity().getValue().intValue())
                .containsExactly(74, 78, 81);
    }

    @Test
    void pagesThroughLinksUntilTheEnd() {
        Bundle page = client.search()
                .byUrl("Observation?patient=" + patientId + "&_count=3&_sort=date")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(page.getTotal()).isEqualTo(4);
        assertThat(page.getEntry()).hasSize(3);
        assertThat(page.getLink("next")).isNotNull();

        Bundle next = client.loadPage().next(page).execute();

        assertThat(next.getEntry()).hasSize(1);
        assertThat(next.getLink("next")).isNull();
        assertThat(next.getLink("previous")).isNotNull();
    }

    @Test
    void xmlSearchesPageThroughTheSameResults() throws Exception {
        HttpResponse<String> first = get("/Observation?patient=" + patientId + "&_count=3&_sort=date&_format=xml");
        Bundle page = FHIR.newXmlParser().parseResource(Bundle.class, first.body());
        String next = page.getLink("next").getUrl();

        HttpResponse<String> second = sendAs(SYSTEM, "GET", next, null, null, "Accept", "application/fhir+xml");

        assertThat(page.getTotal()).isEqualTo(4);
        assertThat(page.getEntry()).hasSize(3);
        assertThat(second.body()).startsWith("<Bundle");
        assertThat(FHIR.newXmlParser()
                        .parseResource(Bundle.class, second.body())
                        .getEntry())
                .hasSize(1);
    }

    @Test
    void jsonAndXmlAnswersHoldTheSameResources() throws Exception {
        Bundle json = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        get("/Observation?patient=" + patientId + "&_sort=date&_include=Observation:encounter")
                                .body());
        Bundle xml = FHIR.newXmlParser()
                .parseResource(
                        Bundle.class,
                        get("/Observation?patient=" + patientId
                                        + "&_sort=date&_include=Observation:encounter&_format=xml")
                                .body());

        assertThat(json.getEntry())
                .extracting(e -> e.getFullUrl() + " " + e.getSearch().getMode())
                .containsExactlyElementsOf(xml.getEntry().stream()
                        .map(e -> e.getFullUrl() + " " + e.getSearch().getMode())
                        .toList());
        assertThat(json.getTotal()).isEqualTo(xml.getTotal());
    }

    @Test
    void summaryCountReturnsOnlyTheTotal() throws Exception {
        Bundle bundle = bundle("Observation?patient=" + patientId + "&_summary=count");

        assertThat(bundle.getTotal()).isEqualTo(4);
        assertThat(bundle.getEntry()).isEmpty();
    }

    @Test
    void includesTheReferencedAndTheReferencingResources() throws Exception {
        Observation first = search("Observation?patient=" + patientId + "&date=2019").stream()
                .map(Observation.class::cast)
                .findFirst()
                .orElseThrow();
        Provenance provenance = new Provenance();
        provenance.addTarget(new Reference("Observation/" + first.getIdElement().getIdPart()));
        provenance.setRecorded(new java.util.Date());
        provenance.addAgent().setWho(new Reference("Patient/" + patientId));
        client.create().resource(provenance).execute();

        Bundle bundle = bundle("Observation?patient=" + patientId
                + "&date=2019&_include=Observation:encounter&_revinclude=Provenance:target");

        assertThat(bundle.getTotal()).isEqualTo(1);
        assertThat(bundle.getEntry())
                .extracting(e -> e.getResource().fhirType() + ":"
                        + e.getSearch().getMode().toCode())
                .containsExactlyInAnyOrder("Observation:match", "Encounter:include", "Provenance:include");
    }

    @Test
    void searchesByIdAndLastUpdated() throws Exception {
        assertThat(this.<Patient>search("Patient?_id=" + patientId + "," + otherPatientId))
                .hasSize(2);
        assertThat(this.<Patient>search("Patient?_id=" + patientId + "&_lastUpdated=ge2020-01-01"))
                .hasSize(1);
        assertThat(this.<Patient>search("Patient?_id=" + patientId + "&_lastUpdated=lt2020-01-01"))
                .isEmpty();
    }

    @Test
    void searchesByPostToSearchEndpoint() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/Observation/_search",
                "application/x-www-form-urlencoded",
                "patient=" + patientId + "&code=29463-7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(FHIR.newJsonParser()
                        .parseResource(Bundle.class, response.body())
                        .getTotal())
                .isEqualTo(3);
    }

    @Test
    void missingModifierFindsResourcesWithoutTheElement() throws Exception {
        assertThat(search("Observation?patient=" + patientId + "&encounter:missing=true"))
                .hasSize(2);
        assertThat(search("Observation?patient=" + patientId + "&encounter:missing=false"))
                .hasSize(2);
    }

    @Test
    void ignoresUnknownParametersUnlessStrict() throws Exception {
        assertThat(search("Observation?patient=" + patientId + "&unknown-thing=1"))
                .hasSize(4);
        assertThat(get("/Observation?patient=" + patientId + "&unknown-thing=1", "Prefer", "handling=strict")
                        .statusCode())
                .isEqualTo(400);
    }

    private void weight(String patient, String when, int kg, String encounter) {
        Observation observation = observation(patient, when, "29463-7", "Poids");
        observation.setValue(new Quantity()
                .setValue(kg)
                .setUnit("kg")
                .setSystem("http://unitsofmeasure.org")
                .setCode("kg"));
        if (encounter != null) {
            observation.setEncounter(new Reference("Encounter/" + encounter));
        }
        client.create().resource(observation).execute();
    }

    private void glucose(String patient, String when) {
        client.create()
                .resource(observation(patient, when, "2339-0", "Glycémie"))
                .execute();
    }

    private static Observation observation(String patient, String when, String code, String display) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation
                .getCode()
                .addCoding()
                .setSystem("http://loinc.org")
                .setCode(code)
                .setDisplay(display);
        observation.setSubject(new Reference("Patient/" + patient));
        observation.setEffective(new DateTimeType(when));
        return observation;
    }

    private Bundle bundle(String query) throws Exception {
        HttpResponse<String> response = get("/" + query.replace("|", "%7C"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    @SuppressWarnings("unchecked")
    private <T extends Resource> List<T> search(String query) throws Exception {
        return bundle(query + (query.contains("_count") ? "" : "&_count=100")).getEntry().stream()
                .map(e -> (T) e.getResource())
                .toList();
    }
}
