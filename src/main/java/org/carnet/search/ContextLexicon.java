package org.carnet.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The words that set a context and the words that end one; docs/search-context.md lists them with the reasons.
 * Phrases are written as a clinician writes them and folded by {@link ClinicalTokens}, so « pas d' » and « pas de »
 * are one trigger; a word ending in {@code *} stands for its four forms (« exclu », « exclue », « exclus »,
 * « exclues »).
 */
final class ContextLexicon {

    enum Role {
        NEGATED,
        HYPOTHETICAL,
        /** A relative or someone else near a finding: « mère », « frère », « conjoint ». */
        OTHER_PERSON,
        /** Family history as a heading: its scope runs to the end of the sentence, colons and commas included. */
        FAMILY,
        GENERIC,
        /** Speaks of the patient again: ends a relative's scope. */
        PATIENT,
        /** Ends the scope of negations and hypotheses: « sauf », « car », « , et ». */
        CLAUSE_END,
        /** Ends every scope, generic statements included: « mais », « cependant », « par contre ». */
        CONTRAST,
        /** Looks like a trigger but is not one: « pas de modification », « sans changement », « Gram négatif ». */
        PSEUDO
    }

    enum Direction {
        /** Over what follows, to the end of the clause. */
        FORWARD,
        /** Over what precedes, back to the start of the clause (back to a comma unless the trigger is plural). */
        BACKWARD,
        /** Both, each way no further than a comma. */
        BOTH,
        /** Over the next word only (« non » before an adjective). */
        NEXT_WORD,
        NONE
    }

    /** A phrase, what it says and where its scope lies. */
    record Trigger(List<String> words, Role role, Direction direction, boolean commaStops, boolean conditional) {}

    /** Adverbs that make « ne » a negation. */
    static final Set<String> NEGATION_ADVERBS =
            Set.of("pas", "plus", "jamais", "guere", "point", "rien", "aucun", "aucune", "nullement", "ni");

    /** After « ne … pas »: a restriction, not a negation (« ne … pas que », « pas seulement »). */
    static final Set<String> RESTRICTIONS = Set.of("que", "seulement", "uniquement", "forcement", "toujours");

    /**
     * Participles of finding: « non retrouvé », « n'a pas été visualisé », « non palpable » negate what precedes them
     * (the thing not found), where « non » before another adjective negates only that adjective.
     */
    static final Set<String> DETECTION = forms(
            "retrouve",
            "trouve",
            "visualise",
            "vu",
            "visible",
            "objective",
            "mis",
            "decele",
            "detecte",
            "identifie",
            "observe",
            "constate",
            "note",
            "palpe",
            "palpable",
            "percu",
            "audible",
            "entendu",
            "confirme",
            "decrit",
            "individualise",
            "isole",
            "documente",
            "demontre",
            "prouve");

    /** After a comma, a negation goes on over a list only when the list goes on: « , de », « , ni », « , ou ». */
    static final Set<String> LIST_CONTINUATIONS =
            Set.of("de", "du", "des", "ni", "ou", "aucun", "aucune", "sans", "pas", "absence", "voire");

    /** A relative who tells, calls or comes along is the informant, not the subject (« sa fille rapporte »). */
    static final Set<String> REPORTING = Set.of(
            "rapporte",
            "rapportent",
            "signale",
            "signalent",
            "decrit",
            "decrivent",
            "indique",
            "indiquent",
            "explique",
            "expliquent",
            "dit",
            "disent",
            "precise",
            "precisent",
            "relate",
            "mentionne",
            "informe",
            "appelle",
            "appele",
            "inquiete",
            "inquiets",
            "trouve",
            "retrouve",
            "constate",
            "raconte",
            "temoigne",
            "nous",
            "affirme",
            "confirme",
            "demande",
            "souhaite",
            "amene");

    static final Set<String> COMPANIONS = Set.of(
            "selon",
            "apres",
            "par",
            "avec",
            "accompagne",
            "accompagnee",
            "amene",
            "amenee",
            "appel",
            "comme",
            "aupres",
            "aidant",
            "aidante",
            "tuteur");

    static final Set<String> LIVES = Set.of(
            "vit", "vivant", "habite", "heberge", "hebergee", "reside", "domicile", "dort", "sejourne", "retour", "va");

    static final Set<String> NUMBER_WORDS =
            Set.of("un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "famille");

    /** Advice verbs that make a conditional (« en cas de », « si ») an instruction to patients. */
    static final Set<String> ADVICE = Set.of(
            "consulter",
            "reconsulter",
            "consultez",
            "reconsultez",
            "appeler",
            "appelez",
            "contacter",
            "contactez",
            "revenir",
            "revenez",
            "presenter",
            "presentez",
            "rendre",
            "rendez",
            "composer",
            "composez",
            "prevenir",
            "prevenez",
            "alerter",
            "alertez",
            "joindre");

    /** First words of a section title (« Examen clinique : »): a title ends the section before it. */
    static final Set<String> SECTION_WORDS = Set.of(
            "antecedent",
            "antecedents",
            "atcd",
            "atcds",
            "examen",
            "examens",
            "conclusion",
            "conclusions",
            "traitement",
            "traitements",
            "ttt",
            "motif",
            "histoire",
            "hdm",
            "anamnese",
            "mode",
            "habitus",
            "allergie",
            "allergies",
            "biologie",
            "imagerie",
            "synthese",
            "diagnostic",
            "diagnostics",
            "evolution",
            "plan",
            "prise",
            "cat",
            "conduite",
            "au",
            "commentaire",
            "commentaires",
            "resultat",
            "resultats",
            "sortie",
            "contexte",
            "interrogatoire",
            "clinique",
            "paraclinique",
            "bilan",
            "ordonnance",
            "suivi",
            "projet",
            "hospitalisation",
            "vaccinations",
            "vaccins",
            "facteurs",
            "frcv",
            "terrain",
            "ecg",
            "radiographie",
            "radio",
            "scanner",
            "tdm",
            "irm",
            "echographie",
            "avis",
            "observation",
            "soins",
            "transmissions",
            "cible",
            "actions",
            "donnees",
            "consignes",
            "conseils",
            "information",
            "informations",
            "recommandations",
            "education",
            "familiaux");

    /** A section title with one of these words is about the family: « Antécédents familiaux : ». */
    static final Set<String> FAMILY_WORDS =
            Set.of("familiaux", "familial", "familiale", "familiales", "famille", "mere", "pere", "fratrie", "parents");

    /** A section title starting with one of these is advice to patients: « Consignes : », « Information patient : ». */
    static final Set<String> GENERIC_SECTIONS =
            Set.of("consignes", "conseils", "information", "informations", "recommandations", "education");

    private static final int COMMA_STOPS = 1;
    private static final int CONDITIONAL = 2;

    private static final Map<String, Trigger[]> BY_FIRST_WORD = new HashMap<>();

    static {
        Role neg = Role.NEGATED;
        Role hyp = Role.HYPOTHETICAL;
        Direction fwd = Direction.FORWARD;
        Direction back = Direction.BACKWARD;
        Direction both = Direction.BOTH;
        Direction none = Direction.NONE;

        // Negation.
        define(neg, fwd, 0, "pas", "pas de", "absence de", "absence", "sans", "aucun", "aucune", "aucuns", "aucunes");
        define(neg, fwd, 0, "ni", "jamais", "nie", "nient", "niant", "dement", "dementi", "recuse", "refute");
        define(neg, fwd, 0, "negatif pour", "negative pour", "negatifs pour", "negatives pour", "negatif a");
        define(neg, fwd, 0, "exclusion de", "disparition de", "disparition du", "disparition des", "resolution de");
        define(neg, fwd, 0, "sans aucun", "sans aucune", "pas le moindre", "pas la moindre");
        define(neg, both, COMMA_STOPS, "exclu*", "ecarte*", "elimine*", "infirmee", "infirmees", "infirme par");
        define(neg, back, 0, "absent*", "negatif", "negative", "negatifs", "negatives", "neg", "disparu*");
        define(neg, back, 0, ": non", ": 0", ": neg", ": negatif", ": negative", ": absent*", ": aucun*", ": neant");
        define(neg, back, 0, ": rien", "= 0", ": nul", ": nulle", ": jamais");
        // Not negations: a change that did not happen leaves the finding present; « Gram négatif » names a germ.
        for (String start : List.of("pas de", "pas d'", "absence de", "absence d'", "sans", "aucune", "aucun")) {
            for (String change : List.of(
                    "modification",
                    "changement",
                    "amelioration",
                    "regression",
                    "diminution",
                    "disparition",
                    "aggravation",
                    "majoration",
                    "evolution",
                    "resolution",
                    "variation",
                    "normalisation",
                    "franche amelioration",
                    "nette amelioration",
                    "reponse",
                    "efficacite",
                    "soulagement")) {
                define(Role.PSEUDO, none, 0, start + " " + change);
            }
        }
        define(Role.PSEUDO, none, 0, "non seulement", "pas seulement", "pas uniquement", "pas que", "pas toujours");
        define(Role.PSEUDO, none, 0, "pas forcement", "pas encore de traitement", "non plus", "non negligeable");
        define(Role.PSEUDO, none, 0, "gram negatif", "gram negatifs", "gram negative", "gram negatives");
        define(Role.PSEUDO, none, 0, "rhesus negatif", "rh negatif", "sans tarder", "sans delai", "sans particularite");
        define(Role.PSEUDO, none, 0, "sans particularites", "non stop", "non urgent", "non programme", "si besoin");
        define(Role.PSEUDO, none, 0, "si necessaire", "si bien que", "si possible", "sans ordonnance", "pas mal");
        define(Role.PSEUDO, none, 0, "non invasive", "non invasif", "ni plus ni moins");

        // Hypothesis.
        define(hyp, fwd, 0, "suspicion de", "suspicion", "suspecte de", "suspectee de", "suspecter", "evoquant");
        define(hyp, fwd, 0, "evoquer", "faire evoquer", "evocateur de", "evocatrice de", "evocateurs de", "evocateur");
        define(hyp, fwd, 0, "evocatrice", "evocatrices", "risque de", "a risque de", "surveiller l'apparition");
        define(hyp, fwd, 0, "surveillance de l'apparition", "surveiller la survenue", "guetter", "depistage");
        define(hyp, fwd, 0, "doute sur", "doute", "un doute", "hypothese", "hypotheses", "dans l'hypothese");
        define(hyp, fwd, 0, "dd", "diagnostic differentiel", "diagnostics differentiels", "diag diff");
        define(hyp, fwd, 0, "rechercher", "a la recherche de", "a la recherche d'", "compatible avec");
        define(hyp, fwd, 0, "compatibles avec", "eliminer", "exclure", "ecarter", "prevention", "prophylaxie");
        define(hyp, fwd, 0, "penser a", "envisager", "envisage", "question de", "redouter", "craindre", "crainte de");
        define(hyp, fwd, COMMA_STOPS | CONDITIONAL, "si", "en cas de", "en cas d'", "en cas", "au cas ou");
        define(hyp, fwd, COMMA_STOPS | CONDITIONAL, "lorsque", "quand");
        define(hyp, both, COMMA_STOPS, "pourrait", "pourraient", "serait", "seraient", "agirait", "evoquerait");
        define(hyp, both, COMMA_STOPS, "correspondrait", "suspecte", "suspect", "suspects");
        define(hyp, both, COMMA_STOPS, "possible", "possibles", "probable", "probables", "probablement", "eventuel");
        define(hyp, both, COMMA_STOPS, "eventuelle", "eventuels", "eventuelles", "eventuellement", "peut etre");
        define(hyp, both, COMMA_STOPS, "vraisemblable", "vraisemblablement", "presume*", "suppose*", "potentiel");
        define(hyp, both, COMMA_STOPS, "potentielle", "potentiels", "potentielles", "sans doute", "a priori");
        define(hyp, both, COMMA_STOPS, "douteux", "douteuse", "douteuses", "hypothetique", "incertain*", "evoque");
        define(hyp, both, COMMA_STOPS, "non exclu*", "pas exclu*", "non elimine*", "ne peut etre exclu*");
        define(hyp, both, COMMA_STOPS, "ne peut pas etre exclu*", "ne peut etre elimine*", "ne peut exclure");
        define(hyp, both, COMMA_STOPS, "ne peut pas etre elimine*", "ne peut etre ecarte*", "ne peut eliminer");
        define(hyp, both, COMMA_STOPS, "n'est pas exclu*", "n'a pas ete exclu*", "n'est pas elimine*", "non ecarte*");
        define(hyp, back, 0, "a eliminer", "a exclure", "a ecarter", "a evoquer", "a rechercher", "a confirmer");
        define(hyp, back, 0, "a discuter", "reste a eliminer", "evoquee", "evoquees", "evoques", "suspectee");
        define(hyp, back, 0, "suspectees", "suspectes", "a surveiller", "a craindre", "a redouter");

        // Someone else.
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "mere", "pere", "frere", "freres", "soeur", "soeurs", "fils");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "fille", "filles", "grand mere", "grand pere", "grands parents");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "grand parents", "oncle", "oncles", "tante", "tantes", "cousin*");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "neveu", "neveux", "niece", "nieces", "conjoint", "conjointe");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "epoux", "epouse", "mari", "sa femme", "son compagnon");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "sa compagne", "ses enfants", "son enfant", "ses parents");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "parents", "jumeau", "jumelle", "apparente*", "entourage");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "collegue", "collegues", "voisin", "voisine", "belle mere");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "beau pere", "beau frere", "belle soeur", "demi frere");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "demi soeur", "fratrie", "cote maternel", "cote paternel");
        define(Role.OTHER_PERSON, both, COMMA_STOPS, "branche maternelle", "branche paternelle", "arriere grand mere");
        define(Role.FAMILY, fwd, 0, "atcd familiaux", "atcd familial", "atcd fam", "atcds familiaux");
        define(Role.FAMILY, fwd, 0, "antecedents familiaux", "antecedent familial", "histoire familiale");
        define(Role.FAMILY, fwd, 0, "dans la famille", "dans sa famille", "cas familiaux", "cas familial");
        define(Role.FAMILY, fwd, 0, "antecedents familiaux de", "atcd familiaux de", "atcd familial de");
        define(Role.PSEUDO, none, 0, "jeune fille", "mere au foyer", "pere au foyer", "fille unique", "fils unique");
        define(Role.PSEUDO, none, 0, "sage femme", "lait maternel", "allaitement maternel", "mere porteuse");
        define(Role.PATIENT, none, 0, "patient", "patiente", "mme", "madame", "monsieur", "lui meme", "elle meme");
        define(Role.PATIENT, none, 0, "personnellement", "chez lui", "chez elle", "atcd personnels", "atcd perso");
        define(Role.PATIENT, none, 0, "antecedents personnels", "antecedent personnel", "atcd personnel");
        define(Role.PATIENT, none, 0, "ses antecedents", "son antecedent");

        // Patients in general.
        define(Role.GENERIC, none, 0, "il est recommande", "il est conseille", "il est deconseille", "il convient");
        define(Role.GENERIC, none, 0, "il est preferable", "il est important", "on recommande", "est recommande");
        define(Role.GENERIC, none, 0, "sont recommandes", "recommandations", "en general", "en regle generale");
        define(Role.GENERIC, none, 0, "generalement", "classiquement", "dans la majorite des cas", "la plupart des");
        define(Role.GENERIC, none, 0, "les patients", "des patients", "aux patients", "tout patient", "chaque patient");
        define(Role.GENERIC, none, 0, "tous les patients", "les patientes", "les malades", "les personnes");
        define(Role.GENERIC, none, 0, "des personnes", "toute personne", "les sujets", "le sujet age", "chez le sujet");
        define(Role.GENERIC, none, 0, "chez l'adulte", "chez l'enfant", "chez les enfants", "les enfants");
        define(Role.GENERIC, none, 0, "chez le nourrisson", "les nourrissons", "chez la femme enceinte");
        define(Role.GENERIC, none, 0, "les femmes enceintes", "la femme enceinte", "chez le diabetique");
        define(Role.GENERIC, none, 0, "les diabetiques", "les asthmatiques", "les hypertendus", "les fumeurs");
        define(Role.GENERIC, none, 0, "la population", "en population generale", "information patient", "conseils");
        define(Role.GENERIC, none, 0, "informations patient", "education therapeutique", "consignes", "brochure");
        define(Role.GENERIC, none, 0, "plaquette", "fiche d'information", "vous devez", "vous pouvez", "si vous");
        define(Role.GENERIC, none, 0, "consultez", "contactez", "appelez", "evitez", "prenez", "surveillez", "buvez");
        define(
                Role.GENERIC,
                none,
                0,
                "n'hesitez pas",
                "ne pas hesiter",
                "est une maladie",
                "est une affection",
                "est une pathologie");
        define(Role.GENERIC, none, 0, "est une infection", "est un trouble", "se transmet", "doivent", "on estime");
        // advice handed to the patient, as carers write it down (issue 15's evaluation: « Rappel : tout saignement sous
        // anticoagulant doit faire consulter »)
        define(
                Role.GENERIC,
                none,
                0,
                "doit faire consulter",
                "doit consulter",
                "impose un avis",
                "information donnee",
                "informations donnees",
                "fiche remise",
                "conseils donnes");
        define(
                Role.GENERIC,
                none,
                0,
                "les personnes agees",
                "les sujets ages",
                "chez la personne agee",
                "chez l'homme");
        define(Role.GENERIC, none, 0, "chez la femme", "chez les femmes", "chez les hommes", "il faut eviter");
        define(
                Role.GENERIC,
                none,
                0,
                "les adultes",
                "les adolescents",
                "un patient sur",
                "un adulte sur",
                "en moyenne");

        // Clause ends.
        define(Role.CONTRAST, none, 0, "mais", "cependant", "toutefois", "pourtant", "neanmoins", "par contre");
        define(Role.CONTRAST, none, 0, "en revanche", "or", "en dehors de cela");
        define(Role.CLAUSE_END, none, 0, "sauf", "hormis", "excepte", "a part", "a l'exception de", "a l'exception d'");
        define(Role.CLAUSE_END, none, 0, "bien que", "alors que", "tandis que", "car", "puisque", "donc", "d'ou");
        define(Role.CLAUSE_END, none, 0, "puis", "ensuite", "et il", "et elle", "et le patient", "et la patiente");
        define(Role.CLAUSE_END, none, 0, ", et", ", avec", ", il", ", elle", ", on", ", ce qui", ", le patient");
        define(Role.CLAUSE_END, none, 0, ", la patiente", "motivant", "justifiant", "ayant motive", "qui a motive");
        define(Role.CLAUSE_END, none, 0, "actuellement", "aujourd'hui", "desormais", "depuis");
        define(Role.PSEUDO, none, 0, ", et de", ", et d'", ", ou de", ", ni de", ", et sans");

        for (Trigger[] triggers : BY_FIRST_WORD.values()) {
            Arrays.sort(
                    triggers,
                    Comparator.comparingInt((Trigger t) -> t.words().size()).reversed());
        }
    }

    private ContextLexicon() {}

    /** The triggers that start with this folded word, longest first; {@code null} when none does. */
    static Trigger @Nullable [] startingWith(String norm) {
        return BY_FIRST_WORD.get(norm);
    }

    private static void define(Role role, Direction direction, int flags, String... phrases) {
        for (String phrase : phrases) {
            for (String form : expand(phrase)) {
                ClinicalTokens tokens = ClinicalTokens.of(form);
                List<String> words = new ArrayList<>(tokens.size());
                for (int i = 0; i < tokens.size(); i++) {
                    words.add(tokens.norm(i));
                }
                Trigger trigger = new Trigger(
                        List.copyOf(words), role, direction, (flags & COMMA_STOPS) != 0, (flags & CONDITIONAL) != 0);
                BY_FIRST_WORD.merge(words.get(0), new Trigger[] {trigger}, ContextLexicon::concat);
            }
        }
    }

    private static Trigger[] concat(Trigger[] a, Trigger[] b) {
        Trigger[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<String> expand(String phrase) {
        if (!phrase.endsWith("*")) {
            return List.of(phrase);
        }
        String base = phrase.substring(0, phrase.length() - 1);
        return List.of(base, base + "e", base + "s", base + "es");
    }

    private static Set<String> forms(String... masculine) {
        List<String> all = new ArrayList<>();
        for (String word : masculine) {
            all.addAll(List.of(word, word + "e", word + "s", word + "es"));
        }
        return Set.copyOf(new HashSet<>(all));
    }
}
