package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.carnet.identity.IdentityWorkflowIT.parameters;
import static org.carnet.identity.IdentityWorkflowIT.values;

import java.net.http.HttpResponse;
import java.util.List;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Probable duplicates are found when patients are created; an identity officer merges them, and can unmerge. */
class IdentityVigilanceIT extends CarnetIT {

    @Test
    void flagsAPhoneticMatchWithDayAndMonthTransposed() throws Exception {
        String a = create(InsPatients.provisional("Martin", "Philippe", "M", "1970-03-05", null));
        String b = create(InsPatients.provisional("Martain", "Filipe", "M", "1970-05-03", null));

        Parameters duplicates = get("/Patient/" + b + "/$duplicates");

        assertThat(pairs(duplicates)).containsExactly(pair(a, b));
        assertThat(reasons(duplicates)).contains("transposed-day-month", "phonetic-names");
    }

    @Test
    void flagsABirthNameAgainstAUsedName() throws Exception {
        String a = create(InsPatients.withUsedName(
                InsPatients.provisional("Lefebvre", "Colette", "F", "1948-09-21", null), "Bernard", "Colette"));
        String b = create(InsPatients.provisional("Bernard", "Colette", "F", "1948-09-21", null));

        Parameters duplicates = get("/Patient/" + a + "/$duplicates");

        assertThat(pairs(duplicates)).containsExactly(pair(a, b));
        assertThat(reasons(duplicates)).contains("birth-name-vs-used-name");
    }

    @Test
    void forgetsAPairOnceOneOfItsPatientsIsDeleted() throws Exception {
        String a = create(InsPatients.provisional("Fontaine", "Claire", "F", "1977-10-08", null));
        String b = create(InsPatients.provisional("Fontaine", "Claire", "F", "1977-10-08", null));
        assertThat(pairs(get("/Patient/" + a + "/$duplicates"))).containsExactly(pair(a, b));

        client.delete().resourceById("Patient", b).execute();

        assertThat(pairs(get("/Patient/" + a + "/$duplicates"))).isEmpty();
    }

    @Test
    void dismissingNeedsBothPatientsOfThePair() throws Exception {
        String a = create(InsPatients.provisional("Gauthier", "Yves", "M", "1959-02-11", null));

        HttpResponse<String> response = send(
                "POST",
                "/Patient/$dismiss-duplicate",
                "application/fhir+json",
                parameters(ref("patient", "Patient/" + a)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("patient");
        assertThat(send("GET", "/Patient/unknown-patient/$duplicates", null, null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void keepsDifferentPeopleApart() throws Exception {
        String a = create(InsPatients.provisional("Durand", "Pierre", "M", "1966-07-14", null));
        create(InsPatients.provisional("Dupont", "Pierre", "M", "1966-07-14", null));
        create(InsPatients.provisional("Durand", "Pierre", "F", "1966-07-14", null));

        assertThat(pairs(get("/Patient/" + a + "/$duplicates"))).isEmpty();
    }

    @Test
    void mergeMovesEveryResourceToTheSurvivorAndUnmergeRestoresThem() throws Exception {
        String survivor = create(InsPatients.provisional("Roux", "Hélène", "F", "1982-01-30", null));
        String merged = create(InsPatients.provisional("Roux", "Helene", "F", "1982-01-30", null));
        String kept = createFor(new Observation(), survivor);
        String moved1 = createFor(new Observation(), merged);
        String moved2 = createFor(new Observation(), merged);
        String moved3 = createFor(new Condition(), merged);
        assertThat(pairs(get("/Patient/$duplicates"))).contains(pair(survivor, merged));

        Parameters result = post(
                "/Patient/$merge",
                parameters(ref("survivor", "Patient/" + survivor) + "," + ref("merged", "Patient/" + merged)));

        assertThat(values(result, "moved")).hasSize(3);
        assertThat(idsIn("/Patient/" + survivor + "/$everything"))
                .contains(
                        "Patient/" + survivor,
                        "Observation/" + kept,
                        "Observation/" + moved1,
                        "Observation/" + moved2,
                        "Condition/" + moved3);
        assertThat(idsIn("/Observation?subject=Patient/" + merged)).isEmpty();
        Patient old = read(merged);
        assertThat(old.getActive()).isFalse();
        assertThat(old.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(old.getIdentifier()).extracting(Identifier::getUse).containsOnly(Identifier.IdentifierUse.OLD);
        assertThat(read(survivor).getIdentifier())
                .extracting(Identifier::getValue)
                .containsAll(
                        old.getIdentifier().stream().map(Identifier::getValue).toList());
        assertThat(pairs(get("/Patient/$duplicates"))).doesNotContain(pair(survivor, merged));
        String mergeEvent = ((Reference) result.getParameter("auditEvent").getValue()).getReference();

        post("/Patient/$unmerge", parameters(ref("merge", mergeEvent)));

        assertThat(clinical(idsIn("/Patient/" + merged + "/$everything")))
                .containsExactlyInAnyOrder(
                        "Patient/" + merged, "Observation/" + moved1, "Observation/" + moved2, "Condition/" + moved3);
        assertThat(clinical(idsIn("/Patient/" + survivor + "/$everything")))
                .containsExactlyInAnyOrder("Patient/" + survivor, "Observation/" + kept);
        assertThat(read(merged).getActive()).isTrue();
        assertThat(read(survivor).getLink()).isEmpty();
        assertThat(idsIn("/AuditEvent?entity=Patient/" + merged)).hasSizeGreaterThanOrEqualTo(2);
        HttpResponse<String> again =
                send("POST", "/Patient/$unmerge", "application/fhir+json", parameters(ref("merge", mergeEvent)));
        assertThat(again.statusCode()).isEqualTo(422);
    }

    @Test
    void aMergeCarriesTheMergedHoldersRestrictionsAndIsAuditedOnBothRecords() throws Exception {
        String survivor = create(InsPatients.provisional("Faure", "Lucie", "F", "1975-06-01", null));
        String merged = create(InsPatients.provisional("Faure", "Lucie", "F", "1975-06-01", null));
        post(
                "/Patient/" + merged + "/$block",
                parameters("{\"name\":\"practitioner\",\"valueString\":\"810005820468\"}"));

        post(
                "/Patient/$merge",
                parameters(ref("survivor", "Patient/" + survivor) + "," + ref("merged", "Patient/" + merged)));

        Parameters rules = get("/Patient/" + survivor + "/$access-rules");
        assertThat(rules.getParameter())
                .anySatisfy(rule -> assertThat(rule.getPart())
                        .extracting(part -> part.getValue().primitiveValue())
                        .contains("blocked", "810005820468"));
        for (String patient : List.of(survivor, merged)) {
            Parameters trail = get("/Patient/" + patient + "/$trail");
            assertThat(trail.getParameter())
                    .as(patient)
                    .anySatisfy(entry -> assertThat(
                                    entry.getPart().get(0).getValue().primitiveValue())
                            .contains("a fusionné deux dossiers en double"));
        }
    }

    @Test
    void refusesToMergeTwoPatientsWithDifferentIns() throws Exception {
        String a = create(InsPatients.qualified("290116912300403", "MOREAU", "JULIE", "F", "1990-11-03", "69123"));
        String b = create(InsPatients.qualified("290111305500562", "MOREAU", "JULIE", "F", "1990-11-03", "13055"));

        HttpResponse<String> response = send(
                "POST",
                "/Patient/$merge",
                "application/fhir+json",
                parameters(ref("survivor", "Patient/" + a) + "," + ref("merged", "Patient/" + b)));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("merge-ins-conflict");
        assertThat(read(b).getActive()).isTrue();
    }

    private String create(Patient patient) {
        patient.setActive(true);
        return created(patient).getIdElement().getIdPart();
    }

    private String createFor(Resource resource, String patient) {
        Reference subject = new Reference("Patient/" + patient);
        if (resource instanceof Observation o) {
            o.setStatus(Observation.ObservationStatus.FINAL)
                    .setSubject(subject)
                    .getCode()
                    .setText("test");
        } else if (resource instanceof Condition c) {
            c.setSubject(subject).getCode().setText("test");
        }
        return client.create().resource(resource).execute().getId().getIdPart();
    }

    private Patient read(String id) {
        return client.read().resource(Patient.class).withId(id).execute();
    }

    private List<String> idsIn(String path) {
        Bundle bundle = client.search()
                .byUrl(base() + path + (path.contains("?") ? "&" : "?") + "_count=200")
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream()
                .map(e -> e.getResource().fhirType() + "/"
                        + e.getResource().getIdElement().getIdPart())
                .toList();
    }

    /** Leaves out the identity officer's Tasks and the audit trail, which keep naming both patients. */
    private static List<String> clinical(List<String> ids) {
        return ids.stream()
                .filter(id -> !id.startsWith("Task/") && !id.startsWith("AuditEvent/"))
                .toList();
    }

    private Parameters get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (Parameters) FHIR.newJsonParser().parseResource(response.body());
    }

    private Parameters post(String path, String body) throws Exception {
        HttpResponse<String> response = send("POST", path, "application/fhir+json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (Parameters) FHIR.newJsonParser().parseResource(response.body());
    }

    private static String ref(String name, String reference) {
        return "{\"name\":\"" + name + "\",\"valueReference\":{\"reference\":\"" + reference + "\"}}";
    }

    private static List<String> pairs(Parameters parameters) {
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals("pair"))
                .map(p -> p.getPart().stream()
                        .filter(x -> x.getName().equals("patient"))
                        .map(x -> ((Reference) x.getValue()).getReference())
                        .sorted()
                        .toList()
                        .toString())
                .toList();
    }

    private static List<String> reasons(Parameters parameters) {
        return parameters.getParameter().stream()
                .flatMap(p -> p.getPart().stream())
                .filter(x -> x.getName().equals("reason"))
                .map(x -> x.getValue().primitiveValue())
                .toList();
    }

    private static String pair(String a, String b) {
        return List.of("Patient/" + a, "Patient/" + b).stream()
                .sorted()
                .toList()
                .toString();
    }
}
