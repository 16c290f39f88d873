package org.carnet.identity;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The traits an INSi query carries. Names are kept as given (upper case, without accents, as INSi returns them,
 * is the caller's choice); comparison is the adapter's business.
 *
 * @param birthName the birth name (nom de naissance)
 * @param firstNames the birth first names, in order; a query may give only the first one
 * @param sex {@code M} or {@code F}
 * @param birthDate {@code YYYY-MM-DD}; day or month may be {@code 00} when unknown (real INS data has such dates)
 * @param birthPlace the INSEE code of the birth commune (5 characters, {@code 99xxx} abroad), or null
 */
public record InsiTraits(
        String birthName,
        List<String> firstNames,
        String sex,
        String birthDate,
        @org.jspecify.annotations.Nullable String birthPlace) {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public InsiTraits {
        if (birthName == null || birthName.isBlank()) {
            throw new IllegalArgumentException("An INSi query needs the birth name");
        }
        firstNames = firstNames == null ? List.of() : List.copyOf(firstNames);
        if (firstNames.isEmpty() || firstNames.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("An INSi query needs at least the first birth first name");
        }
        if (!"M".equals(sex) && !"F".equals(sex)) {
            throw new IllegalArgumentException("An INSi query needs the sex, M or F");
        }
        if (birthDate == null || !DATE.matcher(birthDate).matches()) {
            throw new IllegalArgumentException("An INSi query needs the birth date as YYYY-MM-DD (00 for unknown)");
        }
        if (birthPlace != null) {
            birthPlace = birthPlace.toUpperCase(Locale.ROOT);
            if (!FrCorePatient.isInseeCode(birthPlace)) {
                throw new IllegalArgumentException("The birthplace is an INSEE commune code of 5 characters");
            }
        }
    }

    /** The same traits with the full list of first names (the second try after a {@code 02} answer). */
    public InsiTraits withFirstNames(List<String> names) {
        return new InsiTraits(birthName, names, sex, birthDate, birthPlace);
    }

    /** The same traits with the birthplace (the third try after a {@code 02} answer). */
    public InsiTraits withBirthPlace(String place) {
        return new InsiTraits(birthName, firstNames, sex, birthDate, place);
    }
}
