package org.carnet.synthetic;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Writes realistic French clinical notes (consultation, lettre de liaison, CR d'hospitalisation, de biologie,
 * d'imagerie, opératoire, d'urgences, ordonnance, synthèse médicale, transmissions infirmières) for synthetic
 * records, from the patient, the author, the conditions, treatments and recent measurements of a
 * {@link NoteContext}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Deterministic: the same context and the same {@link SplittableRandom} state give a byte-identical note.
 *       The random is the only source of variation (no clock, no hash ordering).
 *   <li>Every signal of the context appears in the text, in its polarity, in the body of the note (never in the
 *       title).
 *   <li>The mentions are exact: the text is built line by line and every line is scanned with
 *       {@link Concepts#mentioned(String)} as it is written, under the polarity of that line. Template lines are
 *       concept-free (checked, a violation is a bug and throws); routine lines that do use a concept ("pas de
 *       fièvre", "mère diabétique") are reported, and are left out when the concept is already spoken for by a
 *       signal or a condition, so the note never contradicts its own ground truth.
 * </ul>
 * Stateless and thread-safe; each call works on its own draft.
 */
final class ClinicalProse {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("dd/MM");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH'h'mm");

    /** How a signal concept is said: its noun phrase, sentences affirming it, lines about a relative. */
    private record Wording(String noun, List<String> affirmed, List<String> family) {}

    private static final Map<String, Wording> WORDINGS = Map.ofEntries(
            Map.entry(
                    "chute",
                    new Wording(
                            "chute",
                            List.of(
                                    "Chute de sa hauteur le {jour} à domicile, sans perte de connaissance, relevé{e} par un voisin.",
                                    "A chuté dans la salle de bains il y a {n} jours, contusion de la hanche gauche sans fracture.",
                                    "Est tombé{e} en se levant la nuit le {jour}, station au sol estimée à une heure."),
                            List.of(
                                    "Mère : chutes à répétition en fin de vie.",
                                    "Père : chute compliquée d'une fracture du col fémoral à {age2} ans."))),
            Map.entry(
                    "troubles_marche",
                    new Wording(
                            "troubles de la marche",
                            List.of(
                                    "Troubles de la marche d'aggravation progressive depuis {mois} mois, marche à petits pas.",
                                    "Instabilité à la marche nette à l'examen, utilise désormais une canne.",
                                    "Difficultés à la marche, élargissement du polygone de sustentation, appui unipodal impossible."),
                            List.of(
                                    "Père : troubles de la marche sur maladie de Parkinson.",
                                    "Mère : marche instable, en fauteuil roulant les dernières années."))),
            Map.entry(
                    "perte_poids",
                    new Wording(
                            "perte de poids",
                            List.of(
                                    "Perte de poids de {kg} kg en {mois} mois, non volontaire.",
                                    "Amaigrissement rapporté par la famille, vêtements devenus trop grands.",
                                    "A perdu du poids depuis l'été, {kg} kg selon {lui}."),
                            List.of(
                                    "Mère : perte de poids importante avant le diagnostic d'un cancer digestif.",
                                    "Père : amaigrissement sur néoplasie pulmonaire."))),
            Map.entry(
                    "confusion",
                    new Wording(
                            "syndrome confusionnel",
                            List.of(
                                    "Épisode de confusion le {jour} au soir, résolutif en quelques heures selon l'entourage.",
                                    "Désorienté{e} dans le temps ce jour, propos par moments incohérents.",
                                    "Syndrome confusionnel depuis {n} jours avec inversion du rythme nycthéméral."),
                            List.of(
                                    "Père : syndrome confusionnel récidivant en fin de vie.",
                                    "Mère : épisodes de confusion sur maladie d'Alzheimer."))),
            Map.entry(
                    "saignement_anticoagulant",
                    new Wording(
                            "saignement sous anticoagulant",
                            List.of(
                                    "Épistaxis sous {ttt} le {jour}, ayant nécessité un méchage.",
                                    "Rectorragies sous {ttt} de faible abondance depuis {n} jours.",
                                    "Saignement sous {ttt} : hématome spontané de la cuisse droite."),
                            List.of(
                                    "Père : hémorragie sous AVK à {age2} ans.",
                                    "Mère : hématurie sous anticoagulant ayant fait changer de molécule."))),
            Map.entry(
                    "douleur_thoracique",
                    new Wording(
                            "douleur thoracique",
                            List.of(
                                    "Douleur thoracique constrictive à l'effort le {jour}, cédant au repos en quelques minutes.",
                                    "Décrit une oppression thoracique nocturne, sans irradiation."),
                            List.of(
                                    "Frère : douleurs thoraciques ayant conduit à une coronarographie à {age2} ans.",
                                    "Père : angor stable."))),
            Map.entry(
                    "dyspnee",
                    new Wording(
                            "dyspnée",
                            List.of(
                                    "Dyspnée d'effort stade II de la NYHA depuis {n} semaines.",
                                    "Essoufflement à la montée d'un étage, majoré depuis {n} semaines."),
                            List.of(
                                    "Mère : dyspnée chronique sur BPCO.",
                                    "Père : essoufflement invalidant en fin de vie."))),
            Map.entry(
                    "fievre",
                    new Wording(
                            "fièvre",
                            List.of(
                                    "Fièvre à 38,{d} °C depuis {n} jours, avec frissons.",
                                    "Fébrile à 38,{d} °C ce matin, sans point d'appel évident."),
                            List.of(
                                    "Frère : fièvre méditerranéenne familiale.",
                                    "Sœur : fièvre récurrente explorée dans l'enfance."))),
            Map.entry(
                    "denutrition",
                    new Wording(
                            "dénutrition",
                            List.of(
                                    "Dénutrition modérée selon les critères HAS, albuminémie à {alb} g/L.",
                                    "Dénutri{e}, IMC à {imc} kg/m², apports alimentaires réduits de moitié."),
                            List.of(
                                    "Mère : dénutrition sévère en EHPAD.",
                                    "Père : dénutrition au décours d'une chimiothérapie."))),
            Map.entry(
                    "hypoglycemie",
                    new Wording(
                            "hypoglycémie",
                            List.of(
                                    "Hypoglycémie à 0,{g} g/L le {jour} avec sueurs, resucrage par l'entourage.",
                                    "Malaise hypoglycémique au réveil le {jour}, glycémie capillaire à 0,{g} g/L."),
                            List.of(
                                    "Sœur : hypoglycémies fréquentes sous insuline.",
                                    "Frère : hypoglycémie sévère ayant motivé une hospitalisation."))),
            Map.entry(
                    "insuffisance_cardiaque_decompensee",
                    new Wording(
                            "décompensation cardiaque",
                            List.of(
                                    "Décompensation cardiaque globale avec prise de {kg} kg et œdèmes des chevilles.",
                                    "Tableau d'insuffisance cardiaque décompensée, majoration du diurétique.",
                                    "OAP le {jour}, amélioré sous diurétiques IV."),
                            List.of(
                                    "Père : décompensation cardiaque à répétition, décédé à {age2} ans.",
                                    "Mère : œdème aigu du poumon à {age2} ans."))),
            Map.entry(
                    "interaction_medicamenteuse",
                    new Wording(
                            "interaction médicamenteuse",
                            List.of(
                                    "Interaction médicamenteuse relevée par le pharmacien entre {m1} et {m2}.",
                                    "Association déconseillée : {m1} avec un AINS pris en automédication, AINS arrêté."),
                            List.of(
                                    "Mère : hospitalisée pour une interaction médicamenteuse entre AVK et antibiotique.",
                                    "Père : interaction médicamenteuse grave sous polymédication."))),
            Map.entry(
                    "diabete",
                    new Wording(
                            "diabète",
                            List.of(
                                    "Diabète de type 2 découvert le {jour}, glycémie à jeun à 1,{g} g/L à deux reprises.",
                                    "{Patient} diabétique, équilibre glycémique à surveiller."),
                            List.of(
                                    "Mère diabétique.",
                                    "Père : DT2 sous insuline.",
                                    "Diabète de type 2 chez la mère et la sœur."))),
            Map.entry(
                    "cancer_sein",
                    new Wording(
                            "cancer du sein",
                            List.of(
                                    "Cancer du sein gauche en {annee}, traité par tumorectomie et radiothérapie.",
                                    "Suivi d'une néoplasie mammaire droite, dernière mammographie sans récidive."),
                            List.of(
                                    "Antécédent familial de cancer du sein chez la sœur.",
                                    "Mère : cancer du sein à {age2} ans."))),
            Map.entry(
                    "avc",
                    new Wording(
                            "AVC",
                            List.of(
                                    "AVC ischémique sylvien gauche en {annee}, séquelles motrices minimes.",
                                    "Hospitalisé{e} en {annee} pour un accident vasculaire cérébral, sans séquelle."),
                            List.of("Père : AVC à {age2} ans.", "Mère : accident vasculaire cérébral à {age2} ans."))),
            Map.entry(
                    "escarre",
                    new Wording(
                            "escarre",
                            List.of(
                                    "Escarre talonnière droite stade 2, pansement hydrocolloïde.",
                                    "Escarre sacrée de stade {st}, soins infirmiers quotidiens."),
                            List.of(
                                    "Mère : escarres en fin de vie à domicile.",
                                    "Père : escarre sacrée lors d'un alitement prolongé."))),
            Map.entry(
                    "depression",
                    new Wording(
                            "syndrome dépressif",
                            List.of(
                                    "Syndrome dépressif avec anhédonie et troubles du sommeil depuis {n} semaines.",
                                    "Humeur dépressive, pleurs fréquents, ralentissement psychomoteur."),
                            List.of("Mère : dépression traitée au long cours.", "Frère : épisode dépressif majeur."))),
            Map.entry(
                    "incontinence",
                    new Wording(
                            "incontinence urinaire",
                            List.of(
                                    "Incontinence urinaire d'effort, port de protections.",
                                    "Fuites urinaires nocturnes depuis {mois} mois."),
                            List.of(
                                    "Mère : incontinence urinaire opérée.",
                                    "Père : incontinence sur adénome prostatique."))));

    private static final List<String> NEGATIONS = List.of(
            "Pas {de} à l'interrogatoire.",
            "{Il} ne signale pas {de} depuis la dernière consultation.",
            "Absence {de}.",
            "Nie toute notion {de}.",
            "Pas {de} selon l'entourage.");

    private static final List<String> HYPOTHESES = List.of(
            "Suspicion {de}, à confirmer.",
            "Hypothèse {de} à explorer.",
            "{Np} à évoquer, bilan à prévoir.",
            "À éliminer : {np}.");

    private static final List<String> GENERICS = List.of(
            "Information générale remise : {np}, signes d'alerte à connaître.",
            "Fiche conseil : {np} chez la personne âgée, prévention.");

    /** Short names used in notes, by ICD-10 category; other conditions keep their label. */
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "I10",
            "HTA",
            "E11",
            "DT2",
            "I48",
            "FA",
            "I50",
            "insuffisance cardiaque",
            "N18",
            "IRC",
            "J44",
            "BPCO",
            "F03",
            "troubles cognitifs",
            "C50",
            "néoplasie mammaire",
            "J45",
            "asthme",
            "I63",
            "AVC ischémique");

    private static final List<String> FOLLOW_UP = List.of(
            "Se sent bien, pas de plainte particulière.",
            "Bonne observance thérapeutique, tolérance correcte.",
            "Sommeil de bonne qualité, appétit conservé.",
            "Autonome pour les actes de la vie quotidienne.",
            "Activité physique régulière : marche et jardinage.",
            "Quelques douleurs articulaires des mains, soulagées par le paracétamol.",
            "Pas d'événement intercurrent depuis la dernière consultation.",
            "Automesure tensionnelle correcte, carnet apporté.",
            "Nycturie une fois par nuit, stable.",
            "Transit régulier.",
            "Moral correct, entourage présent.");

    private static final List<String> ACUTE = List.of(
            "Carnet de santé consulté.", "Vient accompagné{e} d'un proche.",
            "Sommeil de bonne qualité, appétit conservé.", "Pas de traitement pris avant la consultation.",
            "Pas de contage connu.", "Transit régulier.");

    private static final List<String> ACUTE_CAT = List.of(
            "Reconsulter si persistance des symptômes au-delà d'une semaine.",
            "Pas d'examen complémentaire.",
            "Pas d'arrêt de travail.");

    private static final List<String> EXAM = List.of(
            "Bon état général, {patient} souriant{e} et coopérant{e}.",
            "Auscultation pulmonaire : MV symétrique, pas de crépitant.",
            "Abdomen souple, dépressible, indolore, pas d'hépatomégalie.",
            "Pas d'OMI, mollets souples et indolores.",
            "Examen neurologique sans particularité, pas de déficit sensitivo-moteur.",
            "Pouls périphériques perçus et symétriques.",
            "Peau et phanères : RAS.",
            "Aires ganglionnaires libres.",
            "Orienté{e}, discours cohérent.",
            "Pas de signe de déshydratation.",
            "Conjonctives bien colorées.");

    private static final List<String> SURGERY_HISTORY = List.of(
            "Appendicectomie ({annee})",
            "Cholécystectomie ({annee})",
            "Cure de hernie inguinale ({annee})",
            "Chirurgie de la cataracte bilatérale ({annee})",
            "PTH droite ({annee})",
            "Amygdalectomie dans l'enfance",
            "Canal carpien droit opéré ({annee})");

    private static final List<String> FAMILY_ROUTINE = List.of(
            "Père décédé d'un IDM à {age2} ans.",
            "Mère : HTA.",
            "Frère : asthme.",
            "Père : cancer de la prostate.",
            "Mère : hypercholestérolémie.",
            "Mère diabétique.",
            "Père : AVC à {age2} ans.",
            "Sœur : cancer du sein traité.");

    private static final List<String> CAT = List.of(
            "Renouvellement du traitement à l'identique pour 3 mois.",
            "Bilan bio de contrôle : NFS, iono, créatinine.",
            "Prochaine consultation dans 3 mois, plus tôt si besoin.",
            "Poursuite des règles hygiéno-diététiques.",
            "Éducation thérapeutique renforcée.",
            "Courrier au spécialiste pour avis.");

    private static final List<String> EVOLUTION = List.of(
            "amélioration clinique franche.",
            "bonne tolérance du traitement instauré.",
            "reprise d'une alimentation normale.",
            "lever au fauteuil puis déambulation avec le kinésithérapeute.",
            "contrôle biologique satisfaisant.",
            "avis de l'assistante sociale, aides à domicile renforcées.",
            "échographie cardiaque : FEVG à {fevg} %.",
            "constantes stables, RAS.",
            "retrait de la VVP.");

    /** Why a patient came to hospital, what was found, and the first care given. */
    private record Stay(String reason, String diagnosis, String care) {}

    private static final List<Stay> STAYS = List.of(
            new Stay(
                    "altération de l'état général",
                    "AEG sur infection urinaire basse, résolutive sous antibiothérapie",
                    "ECBU, antibiothérapie probabiliste par ceftriaxone puis relais per os."),
            new Stay(
                    "pneumopathie basse droite",
                    "Pneumopathie franche lobaire aiguë droite traitée par amoxicilline",
                    "amoxicilline IV, kinésithérapie respiratoire."),
            new Stay(
                    "déséquilibre tensionnel",
                    "Poussée hypertensive sans retentissement viscéral",
                    "adaptation du traitement antihypertenseur, MAPA programmée."),
            new Stay(
                    "anémie à 8,{d} g/dL",
                    "Anémie ferriprive, bilan endoscopique programmé",
                    "transfusion de 2 CGR, bonne tolérance, supplémentation martiale IV."),
            new Stay(
                    "pyélonéphrite aiguë droite",
                    "Pyélonéphrite aiguë droite non compliquée",
                    "ECBU, hémocultures, ceftriaxone IV puis relais per os selon l'antibiogramme."),
            new Stay(
                    "malaise sans perte de connaissance",
                    "Malaise vagal, bilan cardiologique sans anomalie",
                    "scope 48 h sans trouble du rythme, échographie cardiaque normale."));

    /** Visits of a patient with no chronic disease: the first three fit a child. */
    private static final List<Stay> ACUTE_VISITS = List.of(
            new Stay(
                    "rhinopharyngite depuis 3 jours.",
                    "Rhinopharyngite probablement virale, à réévaluer si persistance.",
                    "Lavages de nez, paracétamol si besoin."),
            new Stay(
                    "vaccination selon le calendrier.",
                    "Examen clinique normal, vaccination réalisée.",
                    "Prochaine injection selon le calendrier vaccinal."),
            new Stay(
                    "certificat de non contre-indication au sport.",
                    "Pas de contre-indication retrouvée à l'examen.",
                    "Certificat remis."),
            new Stay(
                    "lombalgie après un effort de soulèvement.",
                    "Lombalgie commune, origine mécanique probable.",
                    "Antalgiques de palier 1, reprise progressive des activités."),
            new Stay(
                    "toux sèche depuis une semaine.",
                    "Toux évoquant une bronchite virale, à confirmer si persistance.",
                    "Traitement symptomatique, radiographie thoracique si persistance au-delà de 3 semaines."),
            new Stay("bilan annuel.", "Examen clinique rassurant.", "Bilan bio de dépistage prescrit."));

    private static final List<Stay> EMERGENCIES = List.of(
            new Stay("douleur abdominale", "Gastro-entérite aiguë", "réhydratation orale, antiémétique."),
            new Stay("lombalgie aiguë", "Lumbago aigu sans signe de gravité", "paracétamol et kétoprofène per os."),
            new Stay(
                    "plaie de l'avant-bras gauche",
                    "Plaie superficielle suturée, 4 points",
                    "lavage, suture sous anesthésie locale."),
            new Stay(
                    "entorse de la cheville droite après un faux pas",
                    "Entorse bénigne du ligament latéral externe",
                    "strapping, glace, antalgiques de palier 1."),
            new Stay("colique néphrétique droite", "Colique néphrétique simple", "kétoprofène 100 mg IV."),
            new Stay("palpitations", "Extrasystoles auriculaires isolées", "surveillance scopée 2 h."),
            new Stay(
                    "céphalées inhabituelles",
                    "Céphalées de tension, examen neurologique normal",
                    "paracétamol 1 g IV."));

    /** An imaging exam: name, indication, findings and conclusion, all normal or benign. */
    private record Exam(String name, String indication, List<String> findings, String conclusion) {}

    private static final List<Exam> EXAMS = List.of(
            new Exam(
                    "Radiographie du thorax de face",
                    "Toux persistante.",
                    List.of(
                            "Silhouette cardiaque de taille normale.", "Pas de foyer parenchymateux.",
                            "Culs-de-sac pleuraux libres.", "Pas de pneumothorax."),
                    "Radiographie thoracique sans anomalie."),
            new Exam(
                    "Échographie abdominale",
                    "Bilan hépatique perturbé.",
                    List.of(
                            "Foie de taille normale, homogène.",
                            "Vésicule alithiasique.",
                            "Pas de dilatation des voies biliaires.",
                            "Reins de taille normale, sans dilatation des cavités.",
                            "Rate homogène."),
                    "Échographie abdominale normale."),
            new Exam(
                    "Scanner cérébral sans injection",
                    "Céphalées inhabituelles.",
                    List.of(
                            "Pas de lésion hémorragique intra ou extra-axiale.",
                                    "Pas d'hypodensité systématisée récente.",
                            "Leucopathie vasculaire modérée.", "Système ventriculaire de taille normale."),
                    "Pas de lésion intracrânienne récente."),
            new Exam(
                    "Échographie-doppler des troncs supra-aortiques",
                    "Bilan de facteurs de risque.",
                    List.of(
                            "Plaques athéromateuses non sténosantes des bulbes carotidiens.",
                            "Flux vertébraux antérogrades.",
                            "Pas de sténose hémodynamiquement significative."),
                    "Athérome carotidien non sténosant."),
            new Exam(
                    "Radiographie du bassin et de la hanche droite",
                    "Douleur de hanche mécanique.",
                    List.of(
                            "Pas de fracture.",
                            "Pincement articulaire coxo-fémoral droit modéré.",
                            "Ostéophytose marginale."),
                    "Coxarthrose droite modérée."));

    /** A surgical procedure, its anaesthesia and the steps of its description. */
    private record Surgery(String name, String anaesthesia, List<String> steps) {}

    private static final List<Surgery> SURGERIES = List.of(
            new Surgery(
                    "Cholécystectomie sous cœlioscopie",
                    "Anesthésie générale",
                    List.of(
                            "Open-cœlioscopie ombilicale, création du pneumopéritoine.",
                            "Mise en place de 3 trocarts.",
                            "Dissection du triangle de Calot, clipage et section du canal et de l'artère cystiques.",
                            "Cholécystectomie rétrograde, hémostase du lit vésiculaire.",
                            "Extraction de la pièce dans un sac.")),
            new Surgery(
                    "Cure de hernie inguinale droite selon Lichtenstein",
                    "Rachianesthésie",
                    List.of(
                            "Incision inguinale droite.",
                            "Ouverture de l'aponévrose du grand oblique.",
                            "Dissection et réintégration du sac herniaire.",
                            "Mise en place d'une plaque prothétique fixée par surjet.",
                            "Fermeture plan par plan.")),
            new Surgery(
                    "Prothèse totale de hanche gauche",
                    "Rachianesthésie",
                    List.of(
                            "Voie d'abord postéro-latérale.",
                            "Luxation de la tête fémorale et ostéotomie du col.",
                            "Préparation du cotyle et mise en place de la cupule.",
                            "Préparation fémorale, tige cimentée.",
                            "Réduction, tests de stabilité satisfaisants.")),
            new Surgery(
                    "Chirurgie de la cataracte de l'œil droit",
                    "Anesthésie topique",
                    List.of(
                            "Incision cornéenne.",
                            "Capsulorhexis.",
                            "Phacoémulsification du cristallin.",
                            "Mise en place d'un implant dans le sac capsulaire.")));

    /** Lab results as notes abbreviate them, by LOINC code. */
    private static final Map<String, String> LAB_NAMES = Map.of(
            "4548-4",
            "HbA1c",
            "2339-0",
            "glycémie à jeun",
            "14682-9",
            "créatinine",
            "62238-1",
            "DFG",
            "2823-3",
            "K+",
            "33762-6",
            "NT-proBNP",
            "718-7",
            "Hb");

    Note write(NoteContext context, SplittableRandom random) {
        Draft d = new Draft(context, random);
        String title = switch (context.kind()) {
            case CONSULTATION -> consultation(d);
            case LETTRE_LIAISON -> lettreDeLiaison(d);
            case CR_HOSPITALISATION -> hospitalisation(d);
            case CR_BIOLOGIE -> biologie(d);
            case CR_IMAGERIE -> imagerie(d);
            case CR_OPERATOIRE -> operatoire(d);
            case URGENCES -> urgences(d);
            case ORDONNANCE -> ordonnance(d);
            case SYNTHESE -> synthese(d);
            case NOTE_INFIRMIERE, SURVEILLANCE -> noteInfirmiere(d);
            case NOTE_EVOLUTION, KINESITHERAPIE -> consultation(d);
            case DISPENSATION -> ordonnance(d);
        };
        return d.note(title);
    }

    // --- documents -------------------------------------------------------------------------------------------

    private static String consultation(Draft d) {
        d.routine("Date : " + d.day());
        d.fact(d.patientLine());
        d.blank();
        boolean chronic = !d.active().isEmpty();
        Stay visit = d.pick(d.age < 18 ? ACUTE_VISITS.subList(0, 3) : ACUTE_VISITS);
        d.fact("Motif : " + (chronic ? followUpReason(d) : visit.reason()));
        antecedents(d);
        treatment(d, "Traitement : ");
        d.blank();
        d.routine(d.pick(List.of("Interrogatoire :", "HDM :", "Histoire récente :")));
        narrative(d, chronic ? FOLLOW_UP : ACUTE, 2 + d.random.nextInt(3));
        d.blank();
        examination(d, 2 + d.random.nextInt(4));
        recentLabs(d);
        d.blank();
        d.routine("Conclusion :");
        if (chronic) {
            conclusion(d);
        } else {
            d.routine(visit.diagnosis());
        }
        d.routine(d.pick(List.of("Conduite à tenir :", "CAT :")));
        if (!chronic) {
            d.routine("- " + visit.care());
        }
        for (String line : d.sample(chronic ? CAT : ACUTE_CAT, 1 + d.random.nextInt(2))) {
            d.routine("- " + line);
        }
        d.anticoagulant()
                .filter(m -> m.atc().startsWith("B01AA"))
                .ifPresent(m -> d.routine("- INR de contrôle dans 8 jours, cible entre 2 et 3."));
        d.fact(d.signature());
        String specialty = d.context.author().profession().specialtyLabel();
        if (specialty != null && !specialty.startsWith("Médecine g")) {
            return "Consultation de " + lowerFirst(specialty) + " — " + d.authorShort();
        }
        return d.pick(List.of(
                        "Consultation de suivi — ",
                        "Consultation de médecine générale — ",
                        "Consultation du " + d.day() + " — "))
                + d.authorShort();
    }

    private static String lettreDeLiaison(Draft d) {
        Stay stay = d.pick(STAYS);
        LocalDate admission = d.context.date().toLocalDate().minusDays(2 + d.random.nextInt(9));
        d.routine("Destinataire : médecin traitant");
        d.routine(d.pick(List.of("Cher confrère,", "Chère consœur, cher confrère,")));
        d.blank();
        d.fact(d.pick(List.of(
                        "Votre " + d.patient() + " " + d.patientLine() + " a été hospitalisé" + d.e(),
                        "J'ai pris en charge votre " + d.patient() + " " + d.patientLine()))
                + " du " + DAY.format(admission)
                + " au " + d.day() + " pour " + d.fill(stay.reason()) + ".");
        d.blank();
        d.routine("Au cours du séjour :");
        narrative(
                d,
                List.of(
                        "Évolution favorable sous traitement.",
                        "Bilan biologique de sortie rassurant.",
                        "Mobilisation précoce, autonomie conservée.",
                        "Retour à domicile organisé avec la famille.",
                        "Passage IDE à domicile prévu la première semaine."),
                2 + d.random.nextInt(2));
        d.fact("Diagnostic principal : " + d.fill(stay.diagnosis()) + ".");
        d.blank();
        treatment(d, "Traitement de sortie : ");
        d.routine(d.pick(List.of(
                "Modifications : aucune.",
                "Modifications : arrêt des AINS.",
                "Modifications : ajout de paracétamol si besoin.")));
        d.routine("Suivi : consultation avec vous dans 15 jours, bilan bio à J8.");
        d.blank();
        d.routine("Bien confraternellement,");
        d.fact(d.signature());
        return d.context.kind().label + " — " + d.day();
    }

    private static String hospitalisation(Draft d) {
        Stay stay = hospitalStay(d);
        int days = 2 + d.random.nextInt(10);
        LocalDate admission = d.context.date().toLocalDate().minusDays(days);
        d.fact(d.service());
        d.routine("Hospitalisation du " + DAY.format(admission) + " au " + d.day());
        d.fact(d.patientLine());
        d.routine("Mode d'entrée : "
                + d.pick(List.of(
                        "adressé" + d.e() + " par le médecin traitant",
                        "via les urgences",
                        "transfert depuis un autre établissement"))
                + ".");
        d.blank();
        d.said(Model.Polarity.AFFIRMED, "Motif d'hospitalisation : " + d.fill(stay.reason()) + ".");
        antecedents(d);
        d.routine("Mode de vie :");
        for (String line : lifestyle(d, 2 + d.random.nextInt(2))) {
            d.routine("- " + line);
        }
        treatment(d, "Traitement à l'entrée : ");
        d.blank();
        d.routine("Histoire de la maladie :");
        narrative(
                d,
                List.of(
                        "Symptômes apparus progressivement depuis quelques jours.",
                        "Consultation chez le médecin traitant la veille.",
                        "Pas d'amélioration sous traitement symptomatique.",
                        "Entourage inquiet, maintien à domicile difficile ces derniers jours.",
                        "Pas de voyage récent.",
                        "Pas de contage connu."),
                3 + d.random.nextInt(2));
        d.blank();
        examination(d, 4 + d.random.nextInt(4));
        d.blank();
        d.routine("Examens complémentaires :");
        recentLabs(d);
        d.routine(d.fill("- Bilan bio d'entrée : CRP à {crp} mg/L, iono et bilan hépatique normaux."));
        d.routine("- " + electrocardiogram(d));
        d.routine("- Radiographie thoracique : pas de foyer, pas d'épanchement.");
        d.blank();
        d.routine("Évolution dans le service :");
        d.said(Model.Polarity.AFFIRMED, "J1 : " + d.fill(stay.care()));
        List<Integer> stepDays = new ArrayList<>();
        for (int j = 2; j <= days && stepDays.size() < 7; j += 1 + d.random.nextInt(2)) {
            stepDays.add(j);
        }
        List<String> steps = d.sample(EVOLUTION, stepDays.size());
        for (int i = 0; i < steps.size(); i++) {
            d.routine("J" + stepDays.get(i) + " : " + d.fill(steps.get(i)));
        }
        if (d.age >= 75) {
            d.routine(d.fill("Évaluation gériatrique : MMSE à {mmse}/30, ADL 5/6."));
        }
        d.blank();
        d.routine("Diagnostics de sortie :");
        d.said(Model.Polarity.AFFIRMED, "- " + d.fill(stay.diagnosis()));
        for (Model.Condition condition : d.active().stream().limit(3).toList()) {
            d.fact("- " + upperFirst(d.name(condition)));
        }
        d.blank();
        if (d.context.medications().size() > 6) {
            d.routine("Traitement de sortie : traitement habituel repris à l'identique.");
        } else {
            treatment(d, "Traitement de sortie : ");
        }
        d.routine("Suivi :");
        for (String line : d.sample(
                List.of(
                        "Consultation chez le médecin traitant sous 8 jours.",
                        "Bilan bio à J7 : NFS, iono, créatinine.",
                        "IDE à domicile pour surveillance des constantes.",
                        "Kinésithérapie de renforcement à domicile.",
                        "Consultation de contrôle dans le service à 1 mois."),
                2 + d.random.nextInt(3))) {
            d.routine("- " + line);
        }
        d.fact(d.signature());
        return d.context.kind().label + " — " + d.service();
    }

    private static String biologie(Draft d) {
        d.routine("Laboratoire de biologie médicale");
        d.routine("Prélèvement du " + d.day() + " à "
                + TIME.format(d.context.date().minusHours(8)));
        d.fact(d.patientLine());
        d.routine("Prescripteur : médecin traitant");
        d.routine("Renseignements cliniques : "
                + d.pick(List.of("bilan de suivi.", "contrôle annuel.", "suivi de traitement.")));
        d.signals("");
        d.blank();
        List<Model.Measurement> labs = d.latestLabs();
        if (labs.isEmpty()) {
            d.routine("Hématologie");
            d.routine(d.fill("Hémoglobine : 13,{d} g/dL (12,0–16,0)"));
            d.routine(d.fill("Leucocytes : {n},2 G/L (4,0–10,0)"));
            d.routine(d.fill("Plaquettes : 2{d}0 G/L (150–400)"));
            d.routine("CRP : < 5 mg/L");
        }
        for (Model.Measurement m : labs) {
            d.fact(m.label() + " : " + number(m.value()) + " " + m.unit() + range(m) + flag(m));
        }
        d.blank();
        d.routine("Commentaire du biologiste :");
        List<String> comments = labs.stream()
                .map(ClinicalProse::labComment)
                .flatMap(Optional::stream)
                .toList();
        for (String comment : comments.isEmpty() ? List.of("Résultats dans les valeurs de référence.") : comments) {
            // A remark naming a concept a signal speaks for ("Anémie modérée" when the signal is a mother's
            // anaemia) is left out: the note must not contradict its ground truth.
            d.optional(Model.Polarity.AFFIRMED, comment);
        }
        d.fact("Validé par " + d.signature() + ", biologiste.");
        return d.context.kind().label + " du " + d.day();
    }

    private static String imagerie(Draft d) {
        List<Exam> candidates = new ArrayList<>(EXAMS);
        if (d.female && d.age >= 40) {
            candidates.add(new Exam(
                    "Mammographie bilatérale de dépistage",
                    "Dépistage organisé.",
                    List.of(
                            "Seins de densité B.",
                            "Pas de masse ni de foyer de microcalcifications suspectes.",
                            "Pas d'adénopathie axillaire."),
                    "Examen classé ACR 1."));
        }
        Exam exam = d.pick(candidates);
        d.routine(exam.name());
        d.routine("Examen du " + d.day());
        d.fact(d.patientLine());
        d.blank();
        d.routine("Indication : " + exam.indication());
        d.signals("Renseignements cliniques : ");
        d.routine("Technique : "
                + d.pick(List.of(
                        "examen réalisé selon le protocole standard.",
                        "acquisition standard, pas d'injection de produit de contraste.")));
        d.blank();
        d.routine("Résultats :");
        for (String finding : exam.findings()) {
            d.routine(finding);
        }
        if (exam.name().startsWith("Scanner")) {
            d.optional(Model.Polarity.NEGATED, "Pas d'argument pour un AVC constitué.");
        }
        d.blank();
        d.routine("Conclusion : " + exam.conclusion());
        d.fact(d.signature() + ", radiologue");
        return exam.name() + " — " + d.day();
    }

    private static String operatoire(Draft d) {
        Surgery surgery = d.pick(SURGERIES);
        d.routine("Intervention : " + surgery.name());
        d.routine("Date : " + d.day());
        d.fact(d.patientLine());
        d.fact("Opérateur : " + d.signature());
        d.routine("Anesthésie : " + surgery.anaesthesia());
        d.blank();
        d.routine("Indication posée en consultation, information et consentement recueillis.");
        d.routine("Consultation d'anesthésie : ASA " + (1 + d.random.nextInt(3)) + ".");
        d.signals("");
        d.routine("Installation : décubitus dorsal, antibioprophylaxie par céfazoline 2 g.");
        d.blank();
        d.routine("Description :");
        for (String step : surgery.steps()) {
            d.routine(step);
        }
        d.routine("Incidents peropératoires : aucun. Pertes sanguines minimes.");
        d.routine("Fermeture cutanée par surjet intradermique, pansement sec.");
        d.blank();
        d.routine("Suites prévues :");
        for (String line : d.sample(
                List.of(
                        "Lever à J1.",
                        "Antalgiques de palier 1 et 2.",
                        "HBPM préventive pendant {n} jours.",
                        "Ablation des fils à J10.",
                        "Consultation de contrôle à 6 semaines."),
                3)) {
            d.routine("- " + d.fill(line));
        }
        return d.context.kind().label + " — " + surgery.name();
    }

    private static String urgences(Draft d) {
        Stay visit = d.pick(EMERGENCIES);
        d.routine(
                "Admission le " + d.day() + " à " + TIME.format(d.context.date().minusHours(4)));
        d.routine("Mode d'arrivée : " + d.pick(List.of("pompiers", "ambulance privée", "moyens personnels")) + ".");
        d.routine("Tri IOA : " + (2 + d.random.nextInt(3)));
        d.fact(d.patientLine());
        d.blank();
        d.routine("Motif de recours : " + visit.reason() + ".");
        d.fact("ATCD : " + d.conditionList());
        d.fact("Traitement : " + d.medicationList());
        d.blank();
        d.routine("HDM :");
        narrative(
                d,
                List.of(
                        "Début des symptômes ce matin.",
                        "A pris du paracétamol sans amélioration.",
                        "Pas d'épisode similaire.",
                        "Dernier repas à midi.",
                        "Vaccination antitétanique à jour."),
                2 + d.random.nextInt(2));
        d.blank();
        examination(d, 2 + d.random.nextInt(3));
        d.routine("EVA : " + d.random.nextInt(7) + "/10. GCS 15.");
        d.blank();
        d.routine("Examens complémentaires :");
        d.routine("- " + electrocardiogram(d));
        d.routine(d.fill("- Bio : NFS normale, CRP à {crp} mg/L, troponine négative."));
        d.blank();
        d.routine("Diagnostic retenu : " + visit.diagnosis() + ".");
        d.routine("Traitement aux urgences : " + visit.care());
        d.routine("Orientation : "
                + d.pick(List.of(
                        "retour à domicile avec consignes de surveillance.",
                        "hospitalisation en médecine polyvalente.",
                        "UHCD pour surveillance de 24 h.")));
        d.fact(d.signature());
        return d.context.kind().label + " — " + d.day();
    }

    private static String ordonnance(Draft d) {
        d.fact(d.signature());
        d.routine("Le " + d.day());
        d.fact(d.patientLine()
                + d.latest("29463-7").map(w -> ", " + number(w.value()) + " kg").orElse(""));
        d.blank();
        List<Model.Medication> medications = d.context.medications();
        if (medications.isEmpty()) {
            d.routine(d.pick(List.of(
                    "Paracétamol 1 g : 1 comprimé jusqu'à 3 fois par jour si douleur, pendant 5 jours.",
                    "Amoxicilline 1 g : 1 comprimé matin et soir pendant 6 jours.")));
        }
        for (Model.Medication medication : medications) {
            d.fact(medication.name() + " : " + medication.dosage() + ".");
        }
        d.signals("NB : ");
        if (!medications.isEmpty()) {
            d.routine(d.pick(List.of("QSP 3 mois.", "QSP 1 mois, renouvelable 2 fois.", "QSP 3 mois, NS.")));
        }
        return d.pick(List.of("Ordonnance du " + d.day(), "Ordonnance — " + d.authorShort()));
    }

    private static String synthese(Draft d) {
        d.fact(d.patientLine());
        d.fact("Médecin traitant : " + d.signature());
        d.routine("Synthèse établie le " + d.day());
        d.blank();
        d.routine("Situation familiale et sociale :");
        for (String line : lifestyle(d, 3)) {
            d.routine("- " + line);
        }
        d.blank();
        d.routine("Antécédents médicaux :");
        if (d.context.conditions().isEmpty()) {
            d.routine("- Pas d'antécédent médical notable.");
        }
        for (Model.Condition condition : d.context.conditions()) {
            d.fact("- " + condition.label() + " (" + condition.icd10() + "), depuis "
                    + condition.onset().getYear() + (condition.active() ? "" : ", résolu"));
        }
        d.routine("Antécédents chirurgicaux :");
        surgicalHistory(d, "- ", 1 + d.random.nextInt(3));
        d.routine("Antécédents familiaux :");
        familyHistory(d, "- ");
        d.routine("Allergies et intolérances : cf. volet dédié du DMP.");
        d.blank();
        d.routine("Traitement en cours :");
        if (d.context.medications().isEmpty()) {
            d.routine("- Aucun traitement au long cours.");
        }
        for (Model.Medication medication : d.context.medications()) {
            d.fact("- " + medication.name() + " : " + medication.dosage() + " (depuis "
                    + medication.start().getYear() + ")");
        }
        d.blank();
        d.routine("Dernières constantes :");
        d.routine("- " + d.vitals(false));
        d.latest("29463-7")
                .ifPresent(w -> d.routine("- Poids : " + number(w.value()) + " kg le " + DAY.format(w.at())));
        d.routine("Derniers résultats biologiques :");
        List<Model.Measurement> labs = d.latestLabs();
        if (labs.isEmpty()) {
            d.routine("- Pas de bilan récent disponible.");
        }
        for (Model.Measurement m : labs) {
            d.fact("- " + m.label() + " : " + number(m.value()) + " " + m.unit() + " (" + DAY.format(m.at()) + ")");
        }
        d.blank();
        d.routine("Problèmes actifs :");
        conclusion(d);
        d.blank();
        d.routine("Points de vigilance :");
        narrative(
                d,
                List.of(
                        "Polymédication à réévaluer à chaque renouvellement.",
                        "Fonction rénale à surveiller pour l'adaptation des posologies.",
                        "Isolement social relatif, aidant principal à préserver.",
                        "Observance variable selon l'entourage.",
                        "Risque iatrogène lié à l'âge."),
                2 + d.random.nextInt(2));
        d.blank();
        d.routine("Prévention :");
        d.routine(
                d.age >= 65
                        ? "- Vaccination antigrippale annuelle et rappel dTP à jour."
                        : "- Rappel dTP selon le calendrier vaccinal.");
        if (d.age >= 50 && d.age < 75) {
            d.routine("- Dépistage organisé du cancer colorectal proposé.");
        }
        if (d.age >= 70) {
            d.routine(d.pick(List.of(
                    "- Directives anticipées non rédigées, à aborder.",
                    "- Personne de confiance désignée : sa fille.")));
        }
        d.blank();
        d.routine("Objectifs et plan de suivi :");
        for (String line : d.sample(
                List.of(
                        "Consultation de suivi tous les 3 mois.",
                        "Bilan bio semestriel : NFS, iono, créatinine, bilan lipidique.",
                        "ECG annuel.",
                        "Fond d'œil annuel.",
                        "Consultation spécialisée annuelle.",
                        "Maintien de l'activité physique."),
                3 + d.random.nextInt(3))) {
            d.routine("- " + line);
        }
        return d.context.kind().label + " — " + d.authorShort() + " — " + d.day();
    }

    private static String noteInfirmiere(Draft d) {
        d.routine("Transmissions du " + d.day() + ", passage de " + TIME.format(d.context.date()));
        d.fact("Soins à domicile : " + d.patientLine());
        d.routine("Cible : "
                + d.pick(List.of("surveillance clinique", "gestion du traitement", "pansement", "autonomie")));
        d.routine("D : "
                + d.fill(d.pick(List.of(
                        "{patient} calme et coopérant{e}.",
                        "{patient} souriant{e}, bien installé{e}.",
                        "Nuit calme selon {lui}."))));
        d.signals("D : ");
        d.optional(Model.Polarity.NEGATED, "D : points d'appui vérifiés, pas d'escarre.");
        d.routine("A : "
                + d.pick(List.of(
                        "prise des constantes, distribution du traitement.",
                        "préparation du pilulier de la semaine.",
                        "réfection du pansement, aide à la toilette.")));
        d.routine("A : " + d.vitals(false) + ".");
        if (d.has("E11")) {
            d.routine(d.fill("A : glycémie capillaire à 1,{g} g/L avant le repas."));
        }
        d.routine("R : "
                + d.pick(List.of(
                        "constantes stables.", "bonne tolérance des soins.", "prochain passage demain matin.")));
        d.fact(d.signature());
        return d.context.kind().label + " — " + d.day();
    }

    // --- sections ---------------------------------------------------------------------------------------------

    private static String followUpReason(Draft d) {
        String specialty = d.context.author().profession().specialtyLabel();
        if (specialty != null && !specialty.startsWith("Médecine")) {
            return "avis spécialisé, suivi " + d.name(d.active().get(0)) + ".";
        }
        return d.pick(List.of(
                "suivi de ses pathologies chroniques et renouvellement du traitement.",
                "consultation de suivi trimestrielle.",
                "renouvellement d'ordonnance.",
                "résultats du bilan bio.",
                "suivi " + d.name(d.active().get(0)) + "."));
    }

    private static void antecedents(Draft d) {
        d.routine("ATCD :");
        if (d.context.conditions().isEmpty()) {
            d.routine("- Médicaux : pas d'ATCD notable.");
        } else {
            d.fact("- Médicaux : " + d.conditionList());
        }
        if (d.age >= 18) {
            surgicalHistory(d, "- Chirurgicaux : ", d.random.nextInt(3));
        }
        familyHistory(d, "- Familiaux : ");
    }

    private static void surgicalHistory(Draft d, String prefix, int count) {
        if (count == 0 || d.age < 18) {
            d.routine(prefix + "aucun.");
            return;
        }
        d.routine(prefix
                + String.join(
                        ", ",
                        d.sample(SURGERY_HISTORY, count).stream().map(d::fill).toList()) + ".");
    }

    /** A routine family line (left out if it would touch a signal or a condition), then the family signals. */
    private static void familyHistory(Draft d, String prefix) {
        boolean familySignals = d.pending.stream().anyMatch(m -> m.polarity() == Model.Polarity.FAMILY);
        if (!familySignals && d.random.nextInt(3) == 0) {
            d.routine(prefix + "pas d'ATCD familial notable.");
        } else if (!d.optional(Model.Polarity.FAMILY, prefix + d.fill(d.pick(FAMILY_ROUTINE)))) {
            d.routine(prefix + "mère : HTA.");
        }
        d.familySignals(prefix);
    }

    private static void treatment(Draft d, String heading) {
        if (d.context.medications().isEmpty()) {
            d.routine(heading + "aucun traitement au long cours.");
            return;
        }
        if (d.context.medications().size() > 8) {
            // A long list is written on one line, as it is in a real letter, or the note runs on for pages.
            d.fact(heading + d.medicationList());
            return;
        }
        d.routine(heading.strip());
        for (Model.Medication medication : d.context.medications()) {
            d.fact("- " + medication.name() + " : " + medication.dosage());
        }
    }

    /** Routine lines with the signals buried in the middle and, now and then, a routine negation. */
    private static void narrative(Draft d, List<String> pool, int count) {
        List<String> lines = d.sample(pool, count);
        int middle = (lines.size() + 1) / 2;
        for (int i = 0; i < lines.size(); i++) {
            if (i == middle) {
                d.signals("");
                routineNegation(d);
            }
            d.routine(d.fill(lines.get(i)));
        }
        if (lines.size() <= middle) {
            d.signals("");
            routineNegation(d);
        }
    }

    /** One of the negations a clinician writes out of habit, when it fits the patient and is not spoken for. */
    private static void routineNegation(Draft d) {
        List<String> candidates = new ArrayList<>(List.of(
                "Pas de douleur thoracique.", "Pas de dyspnée, pas d'orthopnée.", "Pas de fièvre ni de frissons."));
        if (d.age >= 70) {
            candidates.add("Pas de chute depuis la dernière consultation.");
        }
        if (d.has("E11")) {
            candidates.add("Pas d'hypoglycémie ressentie.");
        }
        if (d.anticoagulant().isPresent()) {
            candidates.add("Pas de saignement sous anticoagulant.");
        }
        if (d.random.nextInt(3) > 0) {
            d.optional(Model.Polarity.NEGATED, d.pick(candidates));
        }
    }

    private static void examination(Draft d, int count) {
        d.routine(d.pick(List.of("Examen clinique :", "Examen :", "À l'examen :")));
        d.vitalsLine();
        d.latest("29463-7").ifPresent(weight -> {
            Optional<Model.Measurement> before = d.context.recent().stream()
                    .filter(m -> m.loinc().equals("29463-7") && m.at().isBefore(weight.at()))
                    .findFirst();
            d.routine("Poids : " + number(weight.value()) + " kg"
                    + before.map(b -> " (" + number(b.value()) + " kg le " + DAY.format(b.at()) + ")")
                            .orElse(""));
        });
        d.routine(
                d.has("I48")
                        ? "Auscultation cardiaque : BDC irréguliers, pas de souffle."
                        : "Auscultation cardiaque : BDC réguliers, pas de souffle.");
        for (String line : d.sample(EXAM, count)) {
            d.routine(d.fill(line));
        }
        if (d.has("E11")) {
            d.routine("Examen des pieds : pas de plaie, monofilament perçu.");
        }
    }

    private static void recentLabs(Draft d) {
        List<Model.Measurement> labs = d.latestLabs();
        if (labs.isEmpty()) {
            return;
        }
        List<String> values = labs.stream()
                .map(m -> LAB_NAMES.getOrDefault(m.loinc(), m.label()) + " " + number(m.value()) + " " + m.unit())
                .toList();
        d.fact("Biologie du " + DAY.format(labs.get(0).at()) + " : " + String.join(", ", values) + ".");
    }

    /** One assessment line per active condition, using the measurements that follow it. */
    private static void conclusion(Draft d) {
        if (d.active().isEmpty()) {
            d.routine("Pas de problème de santé actif.");
            return;
        }
        for (Model.Condition condition : d.active().stream().limit(4).toList()) {
            d.fact(assessment(d, condition));
        }
    }

    private static String assessment(Draft d, Model.Condition condition) {
        String name = d.name(condition);
        return switch (category(condition)) {
            case "I10" ->
                d.latest("8480-6")
                        .map(s -> s.value() < 140
                                ? "HTA équilibrée sous traitement."
                                : "HTA insuffisamment contrôlée (TAS " + number(s.value()) + " mmHg), à recontrôler.")
                        .orElse("HTA équilibrée.");
            case "E11" ->
                d.latest("4548-4")
                        .map(h -> "DT2 : HbA1c à " + number(h.value()) + " %, "
                                + (h.value() <= 7 ? "objectif atteint." : "au-dessus de l'objectif de 7 %."))
                        .orElse("DT2 stable.");
            case "I48" -> "FA permanente, anticoagulation bien tolérée.";
            case "I50" -> "Insuffisance cardiaque stable, pas de signe de surcharge.";
            case "N18" ->
                d.latest("14682-9")
                        .map(c -> "IRC : créatinine à " + number(c.value()) + " µmol/L"
                                + d.latest("62238-1")
                                        .map(g -> ", DFG " + number(g.value()) + " " + g.unit())
                                        .orElse("")
                                + ", à surveiller.")
                        .orElse("IRC stable.");
            case "J44" -> "BPCO stable, pas d'exacerbation récente.";
            case "F03" -> "Troubles cognitifs connus, entourage présent et aidant.";
            default -> upperFirst(name) + " : suivi en cours, stable.";
        };
    }

    /** Where and with whom the patient lives (one line, so it cannot contradict itself), then habits. */
    private static List<String> lifestyle(Draft d, int count) {
        String home;
        List<String> habits;
        if (d.age < 18) {
            home = "Vit avec ses parents.";
            habits = List.of(
                    "Scolarisé{e}, bons résultats.",
                    "Pratique le football en club.",
                    "Pas d'exposition au tabac à domicile.");
        } else if (d.age >= 75) {
            home = d.pick(List.of(
                    "Vit seul{e} à domicile, aide-ménagère deux fois par semaine.",
                    "Vit en couple en maison de plain-pied.",
                    "Vit avec sa fille, passage IDE quotidien.",
                    "En EHPAD depuis {annee}."));
            habits = List.of("Retraité{e}.", "Tabac : sevré{e} depuis {annee}.", "Pas de consommation d'alcool.");
        } else {
            home = d.pick(List.of("Marié{e}, deux enfants.", "Vit en couple.", "Vit seul{e}."));
            habits = List.of(
                    "Employé{e} de bureau.",
                    "Tabac : jamais fumé.",
                    "Alcool : consommation occasionnelle.",
                    "Activité sportive régulière.");
        }
        List<String> lines = new ArrayList<>();
        lines.add(d.fill(home));
        d.sample(habits, count - 1).stream().map(d::fill).forEach(lines::add);
        return lines;
    }

    private static Stay hospitalStay(Draft d) {
        // A heart-failure patient is often admitted for a decompensation: say so when no signal forbids it.
        if (d.has("I50") && d.free("insuffisance_cardiaque_decompensee") && d.random.nextInt(5) < 2) {
            return new Stay(
                    "poussée d'insuffisance cardiaque",
                    "Insuffisance cardiaque décompensée sur écart de régime sodé",
                    "furosémide IV, restriction hydrosodée, pesée quotidienne.");
        }
        return d.pick(STAYS.stream()
                .filter(stay -> Concepts.mentioned(stay.reason() + "\n" + stay.diagnosis()).stream()
                        .allMatch(d::free))
                .toList());
    }

    private static String electrocardiogram(Draft d) {
        return d.has("I48")
                ? "ECG : FA à réponse ventriculaire contrôlée."
                : "ECG : rythme sinusal régulier, pas de trouble de la repolarisation.";
    }

    /** The biologist's remark on an out-of-range result, for the results that usually get one. */
    private static Optional<String> labComment(Model.Measurement m) {
        boolean high = m.high() != null && m.value() > m.high();
        boolean low = m.low() != null && m.value() < m.low();
        String comment = switch (m.loinc()) {
            case "718-7" -> low ? "Anémie modérée, à confronter à la clinique." : null;
            case "62238-1" -> low ? "DFG abaissé : adapter les posologies." : null;
            case "2823-3" -> high ? "Kaliémie élevée, à contrôler sans garrot prolongé." : null;
            case "4548-4" -> high ? "HbA1c au-dessus des valeurs de référence." : null;
            case "33762-6" -> high ? "NT-proBNP élevé, à interpréter selon le DFG." : null;
            default -> null;
        };
        return Optional.ofNullable(comment);
    }

    // --- small helpers ------------------------------------------------------------------------------------------

    /** One of the alternatives, drawn from the note's random so that a seed gives the same note. */
    static <T> T pick(List<T> choices, SplittableRandom random) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String category(Model.Condition condition) {
        int dot = condition.icd10().indexOf('.');
        return dot < 0 ? condition.icd10() : condition.icd10().substring(0, dot);
    }

    /** Up to two decimals, French decimal comma, no trailing zeros: 72.0 → "72", 6.75 → "6,75". */
    private static String number(double value) {
        return BigDecimal.valueOf(value)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString()
                .replace('.', ',');
    }

    private static String range(Model.Measurement m) {
        if (m.low() != null && m.high() != null) {
            return " (" + number(m.low()) + "–" + number(m.high()) + ")";
        }
        if (m.high() != null) {
            return " (< " + number(m.high()) + ")";
        }
        return m.low() != null ? " (> " + number(m.low()) + ")" : "";
    }

    private static String flag(Model.Measurement m) {
        return m.high() != null && m.value() > m.high() ? " H" : m.low() != null && m.value() < m.low() ? " B" : "";
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }

    private static String upperFirst(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    /** "de chute", "d'AVC": the partitive the negations and hypotheses need. */
    private static String de(String noun) {
        return "aeiouyh".indexOf(Concepts.fold(noun).charAt(0)) >= 0 ? "d'" + noun : "de " + noun;
    }

    /** The note being written: its lines, the mentions found in them, and the signals still to place. */
    private static final class Draft {

        final NoteContext context;
        final SplittableRandom random;
        final boolean female;
        final int age;
        final List<Model.Mention> pending;
        private final Set<String> reserved = new LinkedHashSet<>();
        private final List<String> lines = new ArrayList<>();
        private final Set<Model.Mention> mentions = new LinkedHashSet<>();

        Draft(NoteContext context, SplittableRandom random) {
            this.context = context;
            this.random = random;
            this.female = context.patient().sex() == Model.Sex.FEMALE;
            this.age = Math.max(
                    0,
                    Period.between(context.patient().birthDate(), context.date().toLocalDate())
                            .getYears());
            this.pending = new ArrayList<>(context.signals());
            // Routine lines must not talk about a concept a signal or a condition already states in its own way.
            context.signals().forEach(m -> reserved.add(m.concept()));
            for (Model.Condition condition : context.conditions()) {
                reserved.addAll(Concepts.mentioned(condition.label() + "\n" + name(condition)));
            }
            for (Model.Medication medication : context.medications()) {
                reserved.addAll(Concepts.mentioned(medication.name() + "\n" + medication.dosage()));
            }
        }

        // Writing lines. Each line is scanned once, under the polarity in which it speaks.

        void blank() {
            lines.add("");
        }

        /** A template line: it must not contain any catalogued concept. */
        void routine(String line) {
            List<String> found = Concepts.mentioned(line);
            if (!found.isEmpty()) {
                throw new IllegalStateException("Routine line mentions " + found + ": " + line);
            }
            lines.add(line);
        }

        /** A line made of the record's own data (names, conditions, treatments, values): what it states is so. */
        void fact(String line) {
            said(Model.Polarity.AFFIRMED, line);
        }

        void said(Model.Polarity polarity, String line) {
            lines.add(line);
            for (String key : Concepts.mentioned(line)) {
                mentions.add(new Model.Mention(key, polarity));
            }
        }

        /** A routine line that uses catalogued concepts: written only if none of them is spoken for. */
        boolean optional(Model.Polarity polarity, String line) {
            if (Concepts.mentioned(line).stream().allMatch(this::free)) {
                said(polarity, line);
                return true;
            }
            return false;
        }

        boolean free(String key) {
            return !reserved.contains(key);
        }

        void signals(String prefix) {
            for (Model.Mention signal : List.copyOf(pending)) {
                signal(prefix, signal);
            }
        }

        void familySignals(String prefix) {
            for (Model.Mention signal : List.copyOf(pending)) {
                if (signal.polarity() == Model.Polarity.FAMILY) {
                    signal(prefix, signal);
                }
            }
        }

        private void signal(String prefix, Model.Mention signal) {
            String sentence = sentence(signal);
            said(signal.polarity(), prefix.isEmpty() ? sentence : prefix + lowerFirstWord(sentence));
            if (!mentions.contains(signal)) {
                throw new IllegalStateException("Signal not expressed: " + signal + " in " + sentence);
            }
            pending.remove(signal);
        }

        /** Keeps acronyms (AVC, OAP) and proper capitals after a prefix such as "NB : ". */
        private static String lowerFirstWord(String sentence) {
            return sentence.length() > 1 && Character.isUpperCase(sentence.charAt(1)) ? sentence : lowerFirst(sentence);
        }

        private String sentence(Model.Mention signal) {
            String key = signal.concept();
            Wording wording = WORDINGS.getOrDefault(
                    key,
                    new Wording(
                            Concepts.surfaceForms(key).get(0),
                            List.of("Notion récente {de}."),
                            List.of("ATCD familial {de} chez la mère.")));
            String template = switch (signal.polarity()) {
                case AFFIRMED -> pick(wording.affirmed());
                case NEGATED -> pick(NEGATIONS);
                case FAMILY -> pick(wording.family());
                case HYPOTHETICAL -> pick(HYPOTHESES);
                case GENERIC -> pick(GENERICS);
            };
            return fill(template.replace("{de}", de(wording.noun()))
                    .replace("{Np}", upperFirst(wording.noun()))
                    .replace("{np}", wording.noun()));
        }

        Note note(String title) {
            if (!pending.isEmpty()) {
                throw new IllegalStateException("Signals left unwritten: " + pending);
            }
            for (String key : Concepts.mentioned(title)) {
                mentions.add(new Model.Mention(key, Model.Polarity.AFFIRMED));
            }
            int end = lines.size();
            while (end > 0 && lines.get(end - 1).isEmpty()) {
                end--;
            }
            return new Note(title, String.join("\n", lines.subList(0, end)), List.copyOf(mentions));
        }

        // Reading the context.

        String day() {
            return DAY.format(context.date());
        }

        String e() {
            return female ? "e" : "";
        }

        String patient() {
            return female ? "patiente" : "patient";
        }

        String patientLine() {
            Model.Identity p = context.patient();
            String civility = age < 18 ? "" : female ? "Mme " : "M. ";
            String born = female ? "née" : "né";
            String maiden = p.birthFamily().equals(p.usedFamily())
                    ? ""
                    : " " + p.birthFamily().toUpperCase(Locale.ROOT);
            return civility + p.usedFamily().toUpperCase(Locale.ROOT) + " " + p.firstGiven() + ", " + born + maiden
                    + " le " + DAY.format(p.birthDate()) + " (" + age + " ans)";
        }

        boolean nurse() {
            return "60".equals(context.author().profession().code());
        }

        boolean doctor() {
            return "10".equals(context.author().profession().code());
        }

        String authorShort() {
            Model.Professional a = context.author();
            return nurse() ? "IDE " + a.family() : doctor() ? "Dr " + a.family() : a.given() + " " + a.family();
        }

        String signature() {
            Model.Professional a = context.author();
            String name = a.given() + " " + a.family();
            return nurse()
                    ? "IDE " + name
                    : doctor() ? "Dr " + name : name + ", " + a.profession().label();
        }

        String service() {
            String specialty = context.author().profession().specialtyLabel();
            return specialty == null || specialty.startsWith("Médecine")
                    ? "Service de médecine polyvalente"
                    : "Service de " + lowerFirst(specialty);
        }

        List<Model.Condition> active() {
            return context.conditions().stream().filter(Model.Condition::active).toList();
        }

        boolean has(String icdCategory) {
            return active().stream().anyMatch(c -> category(c).equals(icdCategory));
        }

        String name(Model.Condition condition) {
            return SHORT_NAMES.getOrDefault(category(condition), lowerFirst(condition.label()));
        }

        String conditionList() {
            if (context.conditions().isEmpty()) {
                return "pas d'antécédent notable.";
            }
            return String.join(
                            ", ",
                            context.conditions().stream()
                                    .map(c ->
                                            name(c) + " (" + c.onset().getYear() + (c.active() ? "" : ", ancien") + ")")
                                    .toList())
                    + ".";
        }

        String medicationList() {
            if (context.medications().isEmpty()) {
                return "aucun.";
            }
            return String.join(
                            ", ",
                            context.medications().stream()
                                    .map(Model.Medication::name)
                                    .toList()) + ".";
        }

        Optional<Model.Medication> anticoagulant() {
            return context.medications().stream()
                    .filter(m -> m.atc().startsWith("B01A"))
                    .findFirst();
        }

        Optional<Model.Measurement> latest(String loinc) {
            return context.recent().stream()
                    .filter(m -> m.loinc().equals(loinc))
                    .findFirst();
        }

        /** The laboratory results of the most recent sampling (recent is newest first). */
        List<Model.Measurement> latestLabs() {
            Optional<LocalDateTime> at = context.recent().stream()
                    .filter(m -> "laboratory".equals(m.category()))
                    .map(Model.Measurement::at)
                    .findFirst();
            return at.map(t -> context.recent().stream()
                            .filter(m -> "laboratory".equals(m.category()) && m.at().equals(t))
                            .toList())
                    .orElse(List.of());
        }

        void vitalsLine() {
            String vitals = vitals(true);
            if (vitals.endsWith("apyrétique")) {
                said(Model.Polarity.NEGATED, vitals);
            } else {
                routine(vitals);
            }
        }

        /** TA, FC and SpO2 from the measurements when there are any; the temperature is said either way. */
        String vitals(boolean mayNegateFever) {
            int systolic = latest("8480-6").map(m -> (int) m.value()).orElseGet(() -> 115 + random.nextInt(25));
            int diastolic = latest("8462-4").map(m -> (int) m.value()).orElseGet(() -> 65 + random.nextInt(20));
            int pulse = latest("8867-4").map(m -> (int) m.value()).orElseGet(() -> 60 + random.nextInt(30));
            // Children's blood pressure is rarely taken in routine care: only say it when it was measured.
            String pressure =
                    age >= 12 || latest("8480-6").isPresent() ? "TA " + systolic + "/" + diastolic + " mmHg, " : "";
            String line = pressure + "FC " + pulse + "/min, SpO2 " + (94 + random.nextInt(6)) + " % en AA, ";
            return mayNegateFever && free("fievre") && random.nextBoolean()
                    ? line + "apyrétique"
                    : line + "T° 36," + (4 + random.nextInt(6)) + " °C";
        }

        // Choosing.

        <T> T pick(List<T> choices) {
            return ClinicalProse.pick(choices, random);
        }

        /**
         * Up to {@code count} distinct elements drawn by a partial Fisher–Yates shuffle, kept in pool order: pools
         * are written in narrative order, so a sample still reads as a story.
         */
        <T> List<T> sample(List<T> pool, int count) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < pool.size(); i++) {
                indexes.add(i);
            }
            int size = Math.min(count, pool.size());
            for (int i = 0; i < size; i++) {
                Collections.swap(indexes, i, i + random.nextInt(pool.size() - i));
            }
            return indexes.subList(0, size).stream().sorted().map(pool::get).toList();
        }

        /** Fills the placeholders of a template: agreement ({e}, {Il}…) and drawn values ({jour}, {kg}…). */
        String fill(String template) {
            if (template.indexOf('{') < 0) {
                return template;
            }
            String text = template.replace("{e}", e())
                    .replace("{Patient}", upperFirst(patient()))
                    .replace("{patient}", patient())
                    .replace("{Il}", female ? "Elle" : "Il")
                    .replace("{lui}", female ? "elle" : "lui");
            LocalDate today = context.date().toLocalDate();
            text = draw(text, "{jour}", () -> DAY_MONTH.format(today.minusDays(2 + random.nextInt(20))));
            text = draw(
                    text,
                    "{annee}",
                    () -> Integer.toString(Math.max(
                            context.patient().birthDate().getYear() + 1, today.getYear() - 1 - random.nextInt(10))));
            text = draw(text, "{n}", () -> Integer.toString(2 + random.nextInt(8)));
            text = draw(text, "{mois}", () -> Integer.toString(2 + random.nextInt(5)));
            text = draw(text, "{kg}", () -> Integer.toString(3 + random.nextInt(6)));
            text = draw(text, "{d}", () -> Integer.toString(3 + random.nextInt(7)));
            text = draw(text, "{g}", () -> Integer.toString(45 + random.nextInt(20)));
            text = draw(text, "{alb}", () -> Integer.toString(27 + random.nextInt(7)));
            text = draw(text, "{imc}", () -> Integer.toString(16 + random.nextInt(3)));
            text = draw(text, "{st}", () -> Integer.toString(2 + random.nextInt(2)));
            text = draw(text, "{age2}", () -> Integer.toString(45 + random.nextInt(40)));
            text = draw(text, "{mmse}", () -> Integer.toString(20 + random.nextInt(10)));
            text = draw(text, "{fevg}", () -> Integer.toString(35 + random.nextInt(26)));
            text = draw(text, "{crp}", () -> Integer.toString(3 + random.nextInt(80)));
            text = draw(
                    text,
                    "{ttt}",
                    () -> anticoagulant()
                            .map(m -> drug(m))
                            .orElseGet(() -> pick(List.of("AOD", "AVK", "anticoagulant"))));
            List<String> drugs =
                    context.medications().stream().map(Draft::drug).distinct().toList();
            text = draw(text, "{m1}", () -> drugs.isEmpty() ? "la clarithromycine" : drugs.get(0));
            return draw(text, "{m2}", () -> drugs.size() < 2 ? "l'atorvastatine" : drugs.get(1));
        }

        private static String draw(String text, String token, Supplier<String> value) {
            return text.contains(token) ? text.replace(token, value.get()) : text;
        }

        /** "Apixaban 5 mg" → "apixaban": a drug as prose names it. */
        private static String drug(Model.Medication medication) {
            String name = medication.name();
            int space = name.indexOf(' ');
            return lowerFirst(space < 0 ? name : name.substring(0, space));
        }
    }
}
