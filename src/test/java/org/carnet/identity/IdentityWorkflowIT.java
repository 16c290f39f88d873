package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The identity status workflow over HTTP against the reference INSi registry of the tests
 * ({@code fixtures/insi-registry.csv}): retrieval with answers 00, 01 and 02 (refined by first names, then by
 * birthplace), retrieval with a parent's card, verification, document validation, and the audit of each status change.
 */
class IdentityWorkflowIT extends CarnetIT {

    @Test
    void retrievesTheInsOfAUniqueMatchThenQualifiesWithAnIdentityCard() throws Exception {
        String id = create(InsPatients.provisional("Dupont", "Marie Anne", "F", "1955-08-02", null));

        Parameters retrieved = operation(id, "$insi-retrieve", "");

        assertThat(value(retrieved, "answer")).isEqualTo("00");
        assertThat(value(retrieved, "status")).isEqualTo("RECUP");
        Patient patient = read(id);
        Identifier ins = FrCorePatient.officialIns(patient).orElseThrow();
        assertThat(ins.getValue()).isEqualTo("255081416802538");
        assertThat(ins.getType().getCodingFirstRep().getCode()).isEqualTo("INS-NIR-TEST");
        assertThat(FrCorePatient.birthPlaceInsee(patient)).contains("14168");
        assertThat(FrCorePatient.officialName(patient).orElseThrow().getFamily())
                .isEqualTo("DUPONT");

        Parameters validated = operation(id, "$identity-validate", param("mode", "valueCode", "CN"));

        assertThat(value(validated, "status")).isEqualTo("QUAL");
        assertThat(FrCorePatient.status(read(id))).isEqualTo(IdentityStatus.QUAL);
        assertThat(statusChanges(id)).containsExactly("PROV>RECUP", "RECUP>QUAL");
    }

    @Test
    void answersNoneForAPersonInsiDoesNotKnow() throws Exception {
        String id = create(InsPatients.provisional("Inconnu", "Jean", "M", "1944-01-01", null));

        Parameters answer = operation(id, "$insi-retrieve", "");

        assertThat(value(answer, "answer")).isEqualTo("01");
        assertThat(value(answer, "status")).isEqualTo("PROV");
        assertThat(FrCorePatient.officialIns(read(id))).isEmpty();
        assertThat(statusChanges(id)).isEmpty();
    }

    @Test
    void refinesSeveralIdentitiesWithTheFullFirstNameList() throws Exception {
        String id = create(InsPatients.provisional("Leroy", "Paul Louis", "M", "1980-05-12", null));

        Parameters answer = operation(id, "$insi-retrieve", "");

        assertThat(values(answer, "query")).containsExactly("traits:02", "traits+first-names:00");
        assertThat(FrCorePatient.officialIns(read(id)).orElseThrow().getValue()).isEqualTo("180057505600266");
    }

    @Test
    void refinesSeveralIdentitiesWithTheBirthplace() throws Exception {
        String id = create(InsPatients.provisional("Moreau", "Julie", "F", "1990-11-03", "13055"));

        Parameters answer = operation(id, "$insi-retrieve", "");

        assertThat(values(answer, "query")).containsExactly("traits:02", "traits+birthplace:00");
        assertThat(FrCorePatient.officialIns(read(id)).orElseThrow().getValue()).isEqualTo("290111305500562");
    }

    @Test
    void retrievesAChildWithAParentsCarteVitale() throws Exception {
        String id = create(InsPatients.provisional("Garnier", "Lucas Emile", "M", "2015-06-21", null));

        Parameters answer = operation(id, "$insi-retrieve", param("cardNir", "valueString", "1 65 03 75 112 003 58"));

        assertThat(value(answer, "answer")).isEqualTo("00");
        assertThat(FrCorePatient.officialIns(read(id)).orElseThrow().getValue()).isEqualTo("115067511200730");
    }

    @Test
    void refusesACardNirThatIsNotANir() throws Exception {
        String id = create(InsPatients.provisional("Garnier", "Lucas", "M", "2015-06-21", null));

        HttpResponse<String> response =
                post("/Patient/" + id + "/$insi-retrieve", parameters(param("cardNir", "valueString", "12345")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("cardNir");
    }

    @Test
    void neverSendsADoubtfulIdentityToInsi() throws Exception {
        Patient doubtful = InsPatients.provisional("Dupont", "Marie Anne", "F", "1955-08-02", null);
        FrCorePatient.setReliability(
                doubtful,
                new FrCorePatient.Reliability(null, "SM", null, null, null, Set.of(FrCorePatient.Attribute.DOUT)));
        String id = create(doubtful);

        HttpResponse<String> response = post("/Patient/" + id + "/$insi-retrieve", parameters(""));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("INS-doubtful").contains("never sent");
        assertThat(FrCorePatient.officialIns(read(id))).isEmpty();
    }

    @Test
    void aFailedVerificationRetiresTheIns() throws Exception {
        String id = create(InsPatients.qualified("180057505600167", "LEROY", "PAUL HENRI", "M", "1980-05-12", "75056"));
        assertThat(value(operation(id, "$insi-verify", ""), "answer")).isEqualTo("00");
        Patient patient = read(id);
        FrCorePatient.setStrictTraits(patient, "LEROY", List.of("PAUL", "ANDRE"), "75056");
        client.update().resource(patient).execute();

        Parameters answer = operation(id, "$insi-verify", "");

        assertThat(value(answer, "answer")).isEqualTo("01");
        assertThat(value(answer, "status")).isEqualTo("VALI");
        Patient after = read(id);
        assertThat(FrCorePatient.officialIns(after)).isEmpty();
        assertThat(after.getIdentifier())
                .filteredOn(i -> i.getUse() == Identifier.IdentifierUse.OLD)
                .extracting(Identifier::getValue)
                .containsExactly("180057505600167");
        assertThat(statusChanges(id)).containsExactly("none>QUAL", "QUAL>VALI");
    }

    @Test
    void validationNeedsAHighTrustDocument() throws Exception {
        String id = create(InsPatients.provisional("Petit", "Louise", "F", "1970-02-02", null));

        HttpResponse<String> response =
                post("/Patient/" + id + "/$identity-validate", parameters(param("mode", "valueCode", "PC")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("high-trust");
    }

    private String create(Patient patient) {
        return created(patient).getIdElement().getIdPart();
    }

    private Patient read(String id) {
        return client.read().resource(Patient.class).withId(id).execute();
    }

    /** The status changes audited for a patient, oldest first, as "from>to". */
    private List<String> statusChanges(String id) {
        Bundle bundle = client.search()
                .byUrl("AuditEvent?entity=Patient/" + id + "&_count=100")
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> "status-change".equals(e.getSubtypeFirstRep().getCode()))
                .sorted(java.util.Comparator.comparing(AuditEvent::getRecorded)
                        .thenComparing(e -> e.getMeta().getLastUpdated()))
                .map(e -> e.getEntityFirstRep().getDetail().get(0).getValue().primitiveValue() + ">"
                        + e.getEntityFirstRep().getDetail().get(1).getValue().primitiveValue())
                .toList();
    }

    private Parameters operation(String id, String name, String params) throws Exception {
        HttpResponse<String> response = post("/Patient/" + id + "/" + name, parameters(params));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (Parameters) FHIR.newJsonParser().parseResource(response.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, "application/fhir+json", body);
    }

    static String parameters(String params) {
        return "{\"resourceType\":\"Parameters\"" + (params.isEmpty() ? "" : ",\"parameter\":[" + params + "]") + "}";
    }

    static String param(String name, String type, String value) {
        return "{\"name\":\"" + name + "\",\"" + type + "\":\"" + value + "\"}";
    }

    static String value(Parameters parameters, String name) {
        return parameters.getParameter(name).getValue().primitiveValue();
    }

    static List<String> values(Parameters parameters, String name) {
        return parameters.getParameter().stream()
                .filter(p -> p.getName().equals(name))
                .map(p -> p.getValue().primitiveValue())
                .toList();
    }
}
