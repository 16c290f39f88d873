package org.carnet.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.carnet.record.RecordReads;
import org.carnet.record.Visibility;
import org.hl7.fhir.r4.model.HumanName;

/**
 * Matching a person on the identity traits, the one way Carnet does it wherever someone must be found without an INS
 * (a citizen signing in, an inbound document): birth name and first given name compared without accents or case;
 * and finding a professional's Practitioner records by IdNat_PS.
 */
public final class Traits {

    private Traits() {}

    /** A name as compared: accents removed, lower case, trimmed. */
    public static String normalize(String value) {
        if (value == null) {
            return "";
        }
        return Normalizer.normalize(value, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .strip();
    }

    /** Whether a name has this family name and, as its first given name, this first given name. */
    public static boolean sameName(HumanName name, String family, String firstGiven) {
        return normalize(name.getFamily()).equals(normalize(family))
                && !name.getGiven().isEmpty()
                && normalize(name.getGiven().get(0).getValue()).equals(normalize(firstGiven));
    }

    /** The ids of the directory's Practitioners with this IdNat_PS (one, normally; none when it is not known). */
    public static Set<String> practitionerIds(RecordReads vault, String idNat) {
        Set<String> ids = new TreeSet<>();
        vault.loadJson(
                        vault.search(
                                "Practitioner",
                                "identifier="
                                        + java.net.URLEncoder.encode(
                                                IdentifierSystems.IDNAT_PS + "|" + idNat,
                                                java.nio.charset.StandardCharsets.UTF_8),
                                Visibility.UNRESTRICTED),
                        Visibility.UNRESTRICTED)
                .forEach(json -> ids.add(json.id()));
        return ids;
    }
}
