package org.carnet.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.carnet.identity.InsiAnswer.InsiIdentity;

/**
 * The reference adapter of the {@link Insi} port: answers from an identity registry held in memory, loaded from a
 * file an operator provides (format in docs/insi.md) or, for tests, built from a list. It stands in for the real
 * INSi teleservice in development, demonstrations and tests; it never reaches any network service.
 *
 * <p>Matching. Names (birth name, each first name) are compared normalised: upper case, accents removed, {@code Œ}
 * and {@code Æ} spelt out, apostrophes, hyphens and runs of spaces turned into one space, trimmed; so
 * {@code N'Diaye}, {@code n’diaye} and {@code N DIAYE} are the same name. An identity matches traits when
 * <ul>
 *   <li>its birth name, sex and birth date equal the traits' ({@code 00} in a date matches only {@code 00});
 *   <li>the traits' first names are a prefix of its first-name list, compared name by name: {@code [MARIE]}
 *       matches {@code MARIE ANNE LOUISE}, {@code [MARIE, ANNE]} matches it too, {@code [MARIE, LOUISE]} does
 *       not, and {@code [MARIE]} does not match the compound first name {@code MARIE-CLAUDE};
 *   <li>its birthplace equals the traits' when they give one.
 * </ul>
 * {@link #retrieveByTraits} answers {@code 00} with the identity when exactly one identity matches, {@code 01} when
 * none does and {@code 02} when several do. {@link #retrieveByCard} does the same among the identities covered by
 * the card, that is filed with that card NIR (spaces and case ignored). {@link #verify} answers {@code 00} when
 * the registry holds the matricule under the same OID and that identity matches the traits, {@code 01} otherwise.
 *
 * <p>Thread-safety: immutable once built; any number of threads may query it. It never throws
 * {@link InsiUnavailableException}, since nothing can be out of reach. It logs nothing; the reasons of
 * {@link #rejected()} never quote a line's traits or matricule.
 */
public final class ReferenceRegistryInsi implements Insi {

    /** The header line of a registry file. */
    public static final String HEADER = IdentityRegistryFile.HEADER;

    /** A file line that was not loaded, and why; {@code toString} reads {@code line 12: the key of …}. */
    public record Rejected(int line, String reason) {

        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    /** An identity with its names normalised once, at load. */
    private record Known(
            InsiIdentity identity,
            @org.jspecify.annotations.Nullable String cardNir,
            String birthName,
            List<String> firstNames) {

        Known(IdentityRegistryFile.Entry entry) {
            this(
                    entry.identity(),
                    entry.cardNir(),
                    normalise(entry.identity().birthName()),
                    entry.identity().firstNames().stream()
                            .map(ReferenceRegistryInsi::normalise)
                            .toList());
        }

        boolean matches(String name, List<String> givens, InsiTraits traits) {
            return birthName.equals(name)
                    && identity.sex().equals(traits.sex())
                    && identity.birthDate().equals(traits.birthDate())
                    && givens.size() <= firstNames.size()
                    && firstNames.subList(0, givens.size()).equals(givens)
                    && (traits.birthPlace() == null || traits.birthPlace().equals(identity.birthPlace()));
        }
    }

    private final Map<String, List<Known>> byTraits = new HashMap<>();
    private final Map<String, List<Known>> byCard = new HashMap<>();
    private final Map<Ins, Known> byIns = new HashMap<>();
    private final List<Rejected> rejected;

    private ReferenceRegistryInsi(List<IdentityRegistryFile.Entry> entries, List<Rejected> rejected) {
        for (IdentityRegistryFile.Entry entry : entries) {
            Known known = new Known(entry);
            InsiIdentity identity = known.identity();
            byTraits.computeIfAbsent(
                            traitsKey(known.birthName(), identity.sex(), identity.birthDate()), k -> new ArrayList<>(1))
                    .add(known);
            if (known.cardNir() != null) {
                byCard.computeIfAbsent(known.cardNir(), k -> new ArrayList<>(2)).add(known);
            }
            byIns.put(identity.ins(), known);
        }
        this.rejected = List.copyOf(rejected);
    }

    /**
     * Loads a registry file (UTF-8; bytes that are not UTF-8 reject their line). Malformed lines are skipped and
     * listed in {@link #rejected()}; they never stop the load.
     *
     * @throws IOException when the file cannot be read at all
     */
    public static ReferenceRegistryInsi load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    /** Loads a registry from a stream (e.g. a classpath resource), as {@link #load(Path)} does; does not close it. */
    public static ReferenceRegistryInsi load(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        IdentityRegistryFile.Contents contents = IdentityRegistryFile.read(reader);
        return new ReferenceRegistryInsi(contents.entries(), contents.rejected());
    }

    /**
     * A registry of these identities, for tests. Each one is covered by a carte Vitale bearing its own matricule
     * (as an adult holding their own card), except NIA holders, who have no card.
     *
     * @throws IllegalArgumentException when an identity breaks a rule of the file format or repeats an INS
     */
    public static ReferenceRegistryInsi of(List<InsiIdentity> identities) {
        List<IdentityRegistryFile.Entry> entries = new ArrayList<>();
        Map<Ins, Integer> seen = new HashMap<>();
        for (int i = 0; i < identities.size(); i++) {
            InsiIdentity identity = identities.get(i);
            try {
                IdentityRegistryFile.check(identity);
            } catch (IdentityRegistryFile.Malformed e) {
                throw new IllegalArgumentException("Identity " + i + ": " + e.getMessage());
            }
            Integer first = seen.putIfAbsent(identity.ins(), i);
            if (first != null) {
                throw new IllegalArgumentException("Identity " + i + ": the INS repeats identity " + first);
            }
            String card = identity.ins().kind() == Ins.Kind.NIA
                    ? null
                    : identity.ins().matricule();
            entries.add(new IdentityRegistryFile.Entry(identity, card));
        }
        return new ReferenceRegistryInsi(entries, List.of());
    }

    /** The file lines that were not loaded, in file order (empty for a registry built by {@link #of}). */
    public List<Rejected> rejected() {
        return rejected;
    }

    /** How many identities the registry holds. */
    public int size() {
        return byIns.size();
    }

    @Override
    public InsiAnswer retrieveByTraits(InsiTraits traits) {
        String name = normalise(traits.birthName());
        return answer(
                byTraits.getOrDefault(traitsKey(name, traits.sex(), traits.birthDate()), List.of()), name, traits);
    }

    @Override
    public InsiAnswer retrieveByCard(String cardNir, InsiTraits beneficiary) {
        if (cardNir == null || cardNir.isBlank()) {
            throw new IllegalArgumentException("A retrieval by carte Vitale needs the card's NIR");
        }
        String card = cardNir.replace(" ", "").toUpperCase(Locale.ROOT);
        return answer(byCard.getOrDefault(card, List.of()), normalise(beneficiary.birthName()), beneficiary);
    }

    @Override
    public InsiAnswer verify(Ins ins, InsiTraits traits) {
        Objects.requireNonNull(ins, "A verification needs the matricule INS");
        Known known = byIns.get(ins);
        return known != null && known.matches(normalise(traits.birthName()), givens(traits), traits)
                ? InsiAnswer.one(known.identity())
                : InsiAnswer.none();
    }

    /** A name as the registry compares it (see the class documentation). */
    static String normalise(String name) {
        return FrenchPhonetics.normalise(name);
    }

    private static InsiAnswer answer(List<Known> candidates, String name, InsiTraits traits) {
        List<String> givens = givens(traits);
        Known found = null;
        for (Known candidate : candidates) {
            if (candidate.matches(name, givens, traits)) {
                if (found != null) {
                    return InsiAnswer.several();
                }
                found = candidate;
            }
        }
        return found == null ? InsiAnswer.none() : InsiAnswer.one(found.identity());
    }

    private static List<String> givens(InsiTraits traits) {
        return traits.firstNames().stream()
                .map(ReferenceRegistryInsi::normalise)
                .toList();
    }

    private static String traitsKey(String birthName, String sex, String birthDate) {
        return birthName + '|' + sex + '|' + birthDate;
    }
}
