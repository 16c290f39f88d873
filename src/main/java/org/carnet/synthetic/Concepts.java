package org.carnet.synthetic;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The clinical concepts the generator buries in notes and that search evaluation asks for: each has a key, the
 * French query a clinician would type, and the French surface forms that express it in a note.
 *
 * <p>Contract: {@link #mentions(String, String)} is a plain substring test on lower-cased, accent-folded text, so
 * a note mentions a concept exactly when one of its surface forms occurs in it, whatever the polarity (a negated
 * "pas de chute" mentions {@code chute}). Surface forms are chosen so that no form of one concept contains a form
 * of another, and so that common words do not contain them ("abdomen dépressible" does not mention
 * {@code depression}). Stateless and thread-safe.
 */
final class Concepts {

    private record Concept(String key, String query, List<String> surfaceForms) {}

    // Declared before the catalogue: folding the surface forms at class initialisation needs it.
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private static final List<Concept> CATALOGUE = List.of(
            new Concept("chute", "chute", List.of("chute", "chuté", "chutes", "est tombée", "est tombé", "tombé")),
            new Concept(
                    "troubles_marche",
                    "troubles de la marche",
                    List.of(
                            "troubles de la marche",
                            "trouble de la marche",
                            "instabilité à la marche",
                            "marche instable",
                            "démarche instable",
                            "difficultés à la marche")),
            new Concept(
                    "perte_poids",
                    "perte de poids",
                    List.of(
                            "perte de poids",
                            "perte pondérale",
                            "amaigrissement",
                            "amaigri",
                            "a maigri",
                            "perdu du poids")),
            new Concept(
                    "confusion",
                    "confusion",
                    List.of("confusion", "syndrome confusionnel", "confus", "désorienté", "désorientation")),
            new Concept(
                    "saignement_anticoagulant",
                    "saignement sous anticoagulant",
                    List.of(
                            "saignement sous anticoagulant",
                            "saignement sous",
                            "hémorragie sous",
                            "épistaxis sous",
                            "rectorragies sous",
                            "hématurie sous",
                            "hématome sous AOD",
                            "hématome sous AVK")),
            new Concept(
                    "douleur_thoracique",
                    "douleur thoracique",
                    List.of(
                            "douleur thoracique",
                            "douleurs thoraciques",
                            "oppression thoracique",
                            "constriction thoracique",
                            "précordialgie",
                            "angor")),
            new Concept(
                    "dyspnee",
                    "dyspnée",
                    List.of("dyspnée", "dyspnéique", "essoufflement", "essoufflé", "orthopnée", "polypnée")),
            new Concept(
                    "fievre",
                    "fièvre",
                    List.of("fièvre", "fébrile", "fébricule", "hyperthermie", "apyrétique", "apyrexie")),
            new Concept("denutrition", "dénutrition", List.of("dénutrition", "dénutri", "malnutrition")),
            new Concept("hypoglycemie", "hypoglycémie", List.of("hypoglycémie", "hypoglycémique", "resucrage")),
            new Concept(
                    "insuffisance_cardiaque_decompensee",
                    "insuffisance cardiaque décompensée",
                    List.of(
                            "insuffisance cardiaque décompensée",
                            "décompensation cardiaque",
                            "insuffisance cardiaque aiguë",
                            "œdème aigu du poumon",
                            "OAP",
                            "poussée d'insuffisance cardiaque")),
            new Concept(
                    "interaction_medicamenteuse",
                    "interaction médicamenteuse",
                    List.of(
                            "interaction médicamenteuse",
                            "interactions médicamenteuses",
                            "association déconseillée",
                            "association contre-indiquée")),
            new Concept("diabete", "diabète", List.of("diabète", "diabétique", "DT2", "DT1", "DNID")),
            new Concept(
                    "cancer_sein",
                    "cancer du sein",
                    List.of(
                            "cancer du sein",
                            "néoplasie mammaire",
                            "carcinome mammaire",
                            "tumeur maligne du sein",
                            "néo du sein",
                            "K du sein")),
            new Concept(
                    "avc",
                    "AVC",
                    List.of("AVC", "accident vasculaire cérébral", "infarctus cérébral", "hémorragie cérébrale")),
            new Concept("escarre", "escarre", List.of("escarre", "ulcère de pression")),
            new Concept(
                    "depression",
                    "dépression",
                    List.of("dépression", "syndrome dépressif", "dépressif", "dépressive", "thymie basse")),
            new Concept("anemie", "anémie", List.of("anémie", "anémique")),
            new Concept(
                    "insuffisance_renale",
                    "insuffisance rénale",
                    List.of("insuffisance rénale", "maladie rénale chronique", "MRC", "néphropathie")),
            new Concept(
                    "incontinence",
                    "incontinence urinaire",
                    List.of("incontinence", "incontinent", "fuites urinaires")));

    private static final Map<String, Concept> BY_KEY =
            CATALOGUE.stream().collect(Collectors.toUnmodifiableMap(Concept::key, Function.identity()));

    private static final Map<String, List<String>> FOLDED_FORMS = CATALOGUE.stream()
            .collect(Collectors.toUnmodifiableMap(
                    Concept::key,
                    c -> c.surfaceForms().stream().map(Concepts::fold).toList()));

    private static final List<String> KEYS =
            CATALOGUE.stream().map(Concept::key).toList();

    private Concepts() {}

    /** Every concept key, always in the same order. */
    static List<String> keys() {
        return KEYS;
    }

    /** What a clinician would type to find notes about the concept. */
    static String query(String key) {
        return concept(key).query();
    }

    /** The French forms that express the concept in a note, as written (with accents). */
    static List<String> surfaceForms(String key) {
        return concept(key).surfaceForms();
    }

    /** Whether the text contains one of the concept's surface forms, ignoring case and accents. */
    static boolean mentions(String text, String key) {
        concept(key);
        String folded = fold(text);
        return java.util.Objects.requireNonNull(FOLDED_FORMS.get(key), "every concept has its forms").stream()
                .anyMatch(folded::contains);
    }

    /** The keys of every concept the text mentions, in {@link #keys()} order. */
    static List<String> mentioned(String text) {
        String folded = fold(text);
        return KEYS.stream()
                .filter(key ->
                        java.util.Objects.requireNonNull(FOLDED_FORMS.get(key), "every concept has its forms").stream()
                                .anyMatch(folded::contains))
                .toList();
    }

    /**
     * Lower case (root locale, so Turkish dotless i never bites), accents stripped by NFD, and the œ and æ
     * ligatures spelled out, because notes are typed both ways ("œdème", "oedème").
     */
    static String fold(String text) {
        String decomposed = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").replace("œ", "oe").replace("æ", "ae");
    }

    private static Concept concept(String key) {
        Concept concept = BY_KEY.get(key);
        if (concept == null) {
            throw new IllegalArgumentException("Unknown concept: " + key);
        }
        return concept;
    }
}
