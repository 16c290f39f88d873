package org.carnet.synthetic;

import java.io.IOException;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The generated people as a reference identity registry ({@code insi-registry.csv}), the file Carnet's reference
 * INSi adapter loads (format in docs/insi.md): header, then one line per person, the patient first, then the
 * parents of a minor. Names are written as INSi returns them, upper case without accents. A minor is covered
 * by their first parent's carte Vitale; everyone else by their own.
 *
 * <p>Deterministic: lines depend only on the records, in the order given. Holds no state, hence thread-safe; it
 * does not remember the matricules it wrote, so a generated NIR that repeated one (they are unique only with high
 * probability) would be reported by the loader as a duplicate line.
 */
final class InsiRegistryCsv {

    static final String HEADER = org.carnet.identity.ReferenceRegistryInsi.HEADER;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private InsiRegistryCsv() {}

    static void header(Appendable out) throws IOException {
        out.append(HEADER).append('\n');
    }

    static void append(Model.PatientRecord record, Appendable out) throws IOException {
        Model.Identity patient = record.identity();
        line(
                patient,
                record.parents().isEmpty()
                        ? patient.nir()
                        : record.parents().get(0).nir(),
                out);
        for (Model.Identity parent : record.parents()) {
            line(parent, parent.nir(), out);
        }
    }

    private static void line(Model.Identity who, String cardNir, Appendable out) throws IOException {
        List<String> fields = List.of(
                who.nir(),
                who.insOid(),
                insi(who.birthFamily()),
                String.join(
                        " ",
                        who.birthGivens().stream().map(InsiRegistryCsv::insi).toList()),
                who.sex() == Model.Sex.MALE ? "M" : "F",
                who.birthDate().toString(),
                who.birthplaceInsee(),
                cardNir);
        out.append(String.join(";", fields)).append('\n');
    }

    /** Upper case without diacritics; hyphens, apostrophes and spaces kept. */
    private static String insi(String name) {
        return MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFD))
                .replaceAll("")
                .toUpperCase(Locale.ROOT);
    }
}
