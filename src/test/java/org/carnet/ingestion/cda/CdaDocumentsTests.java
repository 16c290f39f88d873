package org.carnet.ingestion.cda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.ingestion.Connector;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** What a CDA header's people and organisations become: FR Core identifiers, shared or contained resources. */
class CdaDocumentsTests {

    private static final String ID_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";
    private static final String CABINET = "Organization/cda-org-"
            + UUID.nameUUIDFromBytes("urn:oid:1.2.250.1.71.4.2.2|1690000001".getBytes(StandardCharsets.UTF_8));

    @Test
    void theCustodianAndTheAuthorsOrganisationAreOneOrganizationUnderAnIdDerivedFromItsStructureId() throws Exception {
        List<Change> changes = file(directory(null));

        assertThat(changes).hasSize(2);
        Organization cabinet = (Organization) ((Change.Update) changes.get(1)).resource();
        assertThat("Organization/" + cabinet.getIdPart()).isEqualTo(CABINET);
        assertThat(cabinet.getName()).isEqualTo("Cabinet de cardiologie du Parc");
        Identifier structure = cabinet.getIdentifierFirstRep();
        assertThat(structure.getSystem()).isEqualTo("urn:oid:1.2.250.1.71.4.2.2");
        assertThat(structure.getValue()).isEqualTo("1690000001");
        assertThat(structure.getType().getCodingFirstRep().getSystem()).isEqualTo(ID_TYPE);
        assertThat(structure.getType().getCodingFirstRep().getCode()).isEqualTo("IDNST");
        DocumentReference doc = document(changes);
        assertThat(doc.getCustodian().getReference()).isEqualTo(CABINET);
    }

    @Test
    void anAuthorNotInTheDirectoryIsContainedWithFrCoreIdentifiersAndARoleInTheirOrganisation() throws Exception {
        DocumentReference doc = document(file(directory(null)));

        assertThat(doc.getAuthor()).extracting(Reference::getReference).containsExactly("#author0", "#author0-role");
        Practitioner leroy = contained(doc, Practitioner.class, "author0");
        assertThat(leroy.getIdentifier())
                .extracting(
                        Identifier::getSystem,
                        Identifier::getValue,
                        i -> i.getType().getCodingFirstRep().getCode())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("urn:oid:1.2.250.1.71.4.2.1", "810002345678", "IDNPS"),
                        org.assertj.core.groups.Tuple.tuple("https://rpps.esante.gouv.fr", "10002345678", "RPPS"));
        PractitionerRole role = contained(doc, PractitionerRole.class, "author0-role");
        assertThat(role.getPractitioner().getReference()).isEqualTo("#author0");
        assertThat(role.getOrganization().getReference()).isEqualTo(CABINET);
        assertThat(role.getCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("G15_10/SM04");
    }

    @Test
    void anAuthorInTheDirectoryHasASharedRoleWhoseIdDerivesFromPersonOrganisationAndRole() throws Exception {
        List<Change> changes = file(directory("pr-leroy"));
        List<Change> again = file(directory("pr-leroy"));

        assertThat(changes).hasSize(3);
        PractitionerRole role = (PractitionerRole) ((Change.Update) changes.get(2)).resource();
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/pr-leroy");
        assertThat(role.getOrganization().getReference()).isEqualTo(CABINET);
        assertThat(document(changes).getAuthor())
                .extracting(Reference::getReference)
                .containsExactly("Practitioner/pr-leroy", "PractitionerRole/" + role.getIdPart());
        assertThat(((Change.Update) again.get(2)).resource().getIdPart())
                .as("filed again: the same role")
                .isEqualTo(role.getIdPart());
    }

    @Test
    void twoCdasOfOneMessageNamingOneOrganisationWriteItOnce() throws Exception {
        List<Change> both = new java.util.ArrayList<>(file(directory(null)));
        both.addAll(file(directory(null)));

        assertThat(CdaDocuments.distinct(both))
                .extracting(Change::type)
                .containsExactly("DocumentReference", "Organization", "DocumentReference");
    }

    private static List<Change> file(Connector.Documents documents) throws Exception {
        byte[] xml;
        try (InputStream in =
                CdaDocumentsTests.class.getResourceAsStream("/ingestion/cda/consultation_structured.xml")) {
            xml = in.readAllBytes();
        }
        CdaDocument cda = CdaReader.read(new java.io.ByteArrayInputStream(xml));
        return CdaDocuments.file(cda, xml, Set.of(), "patient-1", documents);
    }

    private static DocumentReference document(List<Change> changes) {
        return (DocumentReference) ((Change.Create) changes.get(0)).resource();
    }

    private static <T extends Resource> T contained(DocumentReference doc, Class<T> type, String id) {
        return doc.getContained().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(r -> r.getIdPart().equals(id)
                        || r.getId().equals("#" + id)
                        || r.getId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no contained " + type.getSimpleName() + " " + id));
    }

    private static Connector.Documents directory(String practitioner) {
        return new Connector.Documents() {
            @Override
            public String filedUnder(String uniqueId, String patientId) {
                return null;
            }

            @Override
            public String practitioner(String idNat) {
                return "810002345678".equals(idNat) ? practitioner : null;
            }
        };
    }
}
