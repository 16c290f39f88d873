package org.carnet.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo sign-in identities, one per role of the brief, matching the demo data. Each is an OAuth2 client of the
 * demo provider (secret {@value #SECRET}); its tokens carry the claims a real FranceConnect or Pro Santé Connect
 * token would. Demo only: these are not people.
 */
public final class DemoIdentities {

    /** The client secret of every demo identity. */
    public static final String SECRET = "demo";

    /** The médecin traitant of the four hand-written demo patients (Practitioner in the demo data). */
    public static final String TRAITANT_IDNAT = "810004372156";

    /** One demo identity: its client id, what it is, and the claims of its tokens. */
    public record Identity(String clientId, String description, Map<String, Object> claims) {}

    public static final List<Identity> ALL = List.of(
            citizen(
                    "jeanne",
                    "Jeanne Martin (née Dubois), holder of her record",
                    "Jeanne Marie",
                    "Dubois",
                    "1941-03-14",
                    "female",
                    "35238"),
            citizen(
                    "sophie",
                    "Sophie Garcia, mother of the child Léo Garcia",
                    "Sophie",
                    "Garcia",
                    "1988-06-21",
                    "female",
                    "75112"),
            professional(
                    "dr-moreau",
                    "Dr Philippe Moreau, médecin généraliste, médecin traitant of the demo patients",
                    TRAITANT_IDNAT,
                    "Philippe",
                    "Moreau",
                    "10",
                    "SM54"),
            professional(
                    "dr-lambert",
                    "Dr Nathalie Lambert, another médecin généraliste, not authorised",
                    "810005820468",
                    "Nathalie",
                    "Lambert",
                    "10",
                    "SM54"),
            professional(
                    "infirmier",
                    "Thomas Petit, infirmier, in Jeanne Martin's care team",
                    "810100000013",
                    "Thomas",
                    "Petit",
                    "60",
                    null),
            professional(
                    "pharmacienne",
                    "Claire Roux, pharmacienne, in Jeanne Martin's care team",
                    "810100000021",
                    "Claire",
                    "Roux",
                    "21",
                    null),
            professional("dentiste", "Marc Blanc, chirurgien-dentiste", "810100000039", "Marc", "Blanc", "40", null),
            professional(
                    "urgentiste",
                    "Dr Inès Haddad, urgentiste (bris de glace)",
                    "810100000047",
                    "Inès",
                    "Haddad",
                    "10",
                    "SM26"),
            professional(
                    "regulateur",
                    "Dr Paul Girard, médecin régulateur du SAMU (centre 15)",
                    "810100000054",
                    "Paul",
                    "Girard",
                    "10",
                    "SM26"),
            staff("identitovigilance", "Identity officer (identitovigilance)", "identity-officer"),
            staff("operateur", "Platform operator", "operator"),
            staff("integration", "Trusted integration system (connectors, tests): unrestricted, audited", "system"));

    private DemoIdentities() {}

    private static Identity citizen(
            String id, String description, String given, String family, String birthdate, String gender, String place) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("given_name", given);
        claims.put("family_name", family);
        claims.put("birthdate", birthdate);
        claims.put("gender", gender);
        claims.put("birthplace", place);
        claims.put("acr", "eidas1");
        return new Identity(id, description, claims);
    }

    private static Identity professional(
            String id,
            String description,
            String idNat,
            String given,
            String family,
            String profession,
            @org.jspecify.annotations.Nullable String specialty) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("SubjectNameID", idNat);
        claims.put("SubjectRole", List.of(profession + "^1.2.250.1.213.1.1.5.5"));
        Map<String, Object> exercice = new LinkedHashMap<>();
        exercice.put("codeProfession", profession);
        if (specialty != null) {
            exercice.put("codeSavoirFaire", specialty);
        }
        claims.put("SubjectRefPro", Map.of("exercices", List.of(exercice)));
        claims.put("given_name", given);
        claims.put("family_name", family);
        claims.put("acr", "eidas1");
        return new Identity(id, description, claims);
    }

    private static Identity staff(String id, String description, String role) {
        return new Identity(id, description, Map.of("carnet_role", role, "given_name", description));
    }
}
