package org.carnet.synthetic;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The notes of the heavy record, written by its many authors in their own voices from the story's one timeline.
 *
 * <p>Ground truth: every line is written under one polarity and scanned with {@link Concepts#mentioned(String)}
 * once typed, so what it mentions is recorded as said; lines naming an anticoagulant drug, and reports whose
 * numbers show a weight loss, a low haemoglobin or a low eGFR, also carry a mention with evidence
 * {@link Model.Evidence#DRUGS} or {@link Model.Evidence#NUMBERS}. Nothing here says "amaigrissement" or
 * "anémie": those signals are in the numbers only.
 */
final class ChronicleNotes {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("dd/MM/yy");
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("dd/MM");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MM/yyyy");
    private static final DateTimeFormatter LONG = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRENCH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH'h'mm");

    /** The slots every page fills with a word of the lexicon, drawn afresh for each note. */
    private static final Map<String, List<String>> LEXICON = lexicon();

    private static Map<String, List<String>> lexicon() {
        Map<String, List<String>> slots = new java.util.LinkedHashMap<>();
        slots.put("care", Lexicon.CARE);
        slots.put("care2", Lexicon.CARE);
        slots.put("starter", Lexicon.STARTERS);
        slots.put("main", Lexicon.MAINS);
        slots.put("dessert", Lexicon.DESSERTS);
        slots.put("mood", Lexicon.MOODS);
        slots.put("pastime", Lexicon.PASTIMES);
        slots.put("visitor", Lexicon.VISITORS);
        slots.put("weather", Lexicon.WEATHER);
        slots.put("skin", Lexicon.SKIN);
        slots.put("symptom", Lexicon.SYMPTOMS_MINOR);
        slots.put("otc", Lexicon.OTC);
        slots.put("memory", Lexicon.SPOUSE_MEMORIES);
        slots.put("aid", Lexicon.WALKING_AIDS);
        slots.put("equipment", Lexicon.AIDS);
        slots.put("exercise", Lexicon.EXERCISES);
        slots.put("exercise2", Lexicon.EXERCISES);
        slots.put("advice", Lexicon.FOODS_ADVICE);
        slots.put("advice2", Lexicon.FOODS_ADVICE);
        slots.put("garden", Lexicon.GARDEN);
        slots.put("bird", Lexicon.BIRDS);
        slots.put("news", Lexicon.NEWS);
        slots.put("clothes", Lexicon.CLOTHES);
        slots.put("room", Lexicon.ROOMS);
        slots.put("furniture", Lexicon.FURNITURE);
        slots.put("job", Lexicon.RELATIVES_JOBS);
        slots.put("drug", Lexicon.ACUTE_DRUGS);
        slots.put("complaint", Lexicon.COMPLAINTS);
        slots.put("pet", Lexicon.PETS);
        slots.put("drink", Lexicon.DRINKS);
        return java.util.Collections.unmodifiableMap(slots);
    }

    private final Chronicle.Story s;
    private final Chronicle.Timeline t;
    private final SplittableRandom random;
    private final Map<String, Grammar.Voice> voices = new HashMap<>();
    private final Map<String, Typist.Style> styles = new HashMap<>();
    /** Each author's last note, line by line: the next may copy parts of it forward. */
    private final Map<String, List<Line>> lastNote = new HashMap<>();

    ChronicleNotes(Chronicle.Story story) {
        this.s = story;
        this.t = story.t;
        this.random = story.random;
    }

    void writeAll() {
        generalPractice();
        specialists();
        hospital();
        homeNursing();
        physiotherapy();
        pharmacy();
    }

    // --- one line, one note ------------------------------------------------------------------------------------

    private record Line(String text, Model.Polarity polarity, List<Model.Mention> extra, boolean copyable) {}

    /** A note being written by one author, in their voice and style, on one day. */
    private final class Page {

        final String author;
        final LocalDateTime at;
        final Grammar.Voice voice;
        final Typist.Sitting sitting;
        final List<Line> lines = new ArrayList<>();
        final Map<String, String> slots = new HashMap<>();

        Page(String author, LocalDateTime at) {
            this.author = author;
            this.at = at;
            this.voice = voices.computeIfAbsent(
                    author, k -> new Grammar.Voice(random.nextLong(), 0.25 + random.nextDouble() * 0.3));
            this.sitting = Typist.Sitting.of(styles.computeIfAbsent(author, k -> Typist.Style.draw(random)), random);
            LocalDate day = at.toLocalDate();
            slots.put("nom", s.identity.usedFamily());
            slots.put("Nom", s.identity.usedFamily().toUpperCase(Locale.ROOT));
            slots.put("prenom", s.identity.firstGiven());
            slots.put("age", Integer.toString(age(day)));
            slots.put("date", date(day));
            slots.put("heure", TIME.format(at));
            slots.put("hta", Integer.toString(t.htaYear()));
            slots.put("dt2", Integer.toString(t.diabetes().getYear()));
            slots.put("avc", t.stroke().getYear() + "");
            slots.put("avcmois", MONTH.format(t.stroke()));
            slots.put("fa", Integer.toString(t.af().getYear()));
            for (Map.Entry<String, List<String>> words : LEXICON.entrySet()) {
                slots.put(words.getKey(), Lexicon.any(words.getValue(), random));
            }
            slots.put("weather", upper(slots.getOrDefault("weather", "")));
            slots.put(
                    "prenomProche",
                    FrenchPeople.givens(Model.Sex.FEMALE, 1965 + random.nextInt(30), random)
                            .get(0));
            slots.put(
                    "prenomProche2",
                    FrenchPeople.givens(Model.Sex.MALE, 1960 + random.nextInt(40), random)
                            .get(0));
            slots.put("voisine", "Mme " + FrenchPeople.surname(random));
        }

        LocalDate day() {
            return at.toLocalDate();
        }

        String x(String template) {
            if (template.indexOf('$') >= 0) {
                // A fresh word for each line: two lines of one note do not share their meal or their exercise.
                for (Map.Entry<String, List<String>> words : LEXICON.entrySet()) {
                    if (template.contains("$" + words.getKey())) {
                        slots.put(words.getKey(), Lexicon.any(words.getValue(), random));
                    }
                }
                if (template.contains("$weather")) {
                    slots.put("weather", upper(slots.getOrDefault("weather", "")));
                }
            }
            return Grammar.expand(template, slots, voice, random);
        }

        Page say(String template, Model.Mention... extra) {
            return say(Model.Polarity.AFFIRMED, template, extra);
        }

        Page say(Model.Polarity polarity, String template, Model.Mention... extra) {
            return write(polarity, x(template), true, extra);
        }

        /** A line of the record's own data (dates, drugs, values): not copied forward, never mistyped. */
        Page fact(String text, Model.Mention... extra) {
            return write(Model.Polarity.AFFIRMED, text, false, extra);
        }

        Page heading(String template) {
            return write(Model.Polarity.AFFIRMED, x(template), false);
        }

        Page blank() {
            lines.add(new Line("", Model.Polarity.AFFIRMED, List.of(), false));
            return this;
        }

        private Page write(Model.Polarity polarity, String text, boolean copyable, Model.Mention... extra) {
            text = text.strip()
                    .replace(" de le ", " du ")
                    .replace(" de les ", " des ")
                    .replace(" à le ", " au ")
                    .replace(" à les ", " aux ");
            boolean carries = extra.length > 0 || !Concepts.mentioned(text).isEmpty();
            String typed = Typist.type(text, sitting, carries || !copyable, random);
            lines.add(new Line(typed, polarity, List.of(extra), copyable && !carries));
            return this;
        }

        /** Copy forward: some lines of this author's previous note, as they were typed. */
        void copyForward(double chance, int atMost) {
            List<Line> previous = lastNote.get(author);
            if (previous == null || random.nextDouble() >= chance) {
                return;
            }
            List<Line> copyable = previous.stream().filter(Line::copyable).toList();
            int from = copyable.isEmpty() ? 0 : random.nextInt(copyable.size());
            for (int i = from; i < copyable.size() && i < from + atMost; i++) {
                lines.add(copyable.get(i));
            }
        }

        Note note(String title) {
            Set<Model.Mention> mentions = new LinkedHashSet<>();
            List<String> text = new ArrayList<>();
            for (Line line : lines) {
                text.add(line.text());
                for (String key : Concepts.mentioned(line.text())) {
                    mentions.add(new Model.Mention(key, line.polarity()));
                }
                mentions.addAll(line.extra());
            }
            lastNote.put(author, List.copyOf(lines));
            int end = text.size();
            while (end > 0 && text.get(end - 1).isEmpty()) {
                end--;
            }
            return new Note(title, String.join("\n", text.subList(0, end)), List.copyOf(mentions));
        }

        Model.Document file(Model.DocKind kind, String title, String organisation) {
            return s.add(kind, at, author, organisation, note(title));
        }

        Model.Document file(Model.DocKind kind, String title) {
            return file(kind, title, s.professional(author).organisationKey());
        }

        String signature() {
            Model.Professional p = s.professional(author);
            return x("{" + p.given() + " " + p.family() + "|" + p.given().charAt(0) + ". " + p.family() + "|"
                    + p.family().toUpperCase(Locale.ROOT) + " " + p.given() + "}");
        }
    }

    private int age(LocalDate day) {
        return (int) ChronoUnit.YEARS.between(s.identity.birthDate(), day);
    }

    /** A date as people write them: 04/03/2019, 04/03/19, 4 mars 2019. */
    private String date(LocalDate day) {
        int draw = random.nextInt(6);
        return draw < 3 ? DAY.format(day) : draw < 5 ? SHORT.format(day) : LONG.format(day);
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value)
                .setScale(1, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString()
                .replace('.', ',');
    }

    // --- what every author may refer back to -----------------------------------------------------------------

    /** The medical history as of {@code day}, each event with its one date. */
    private void history(Page p, LocalDate day) {
        p.heading("{ATCD|Antécédents|ANTECEDENTS|Atcd} :");
        p.fact(p.x("- {HTA|hypertension artérielle} {depuis|connue depuis|diagnostiquée en} $hta"));
        if (!day.isBefore(t.diabetes())) {
            p.fact(p.x("- {diabète de type 2|DT2} {depuis|diagnostiqué en|connu depuis} $dt2"
                    + (day.isBefore(t.insulin())
                            ? "{, sous ADO| sous metformine|}"
                            : "{, insulinotraité depuis " + t.insulin().getYear() + "|, sous insuline basale|}")));
        }
        if (!day.isBefore(t.stroke())) {
            p.fact(p.x("- {AVC ischémique sylvien gauche|AVC ischémique|infarctus cérébral sylvien gauche|AVC} "
                    + "{en $avc|($avcmois)|de $avc}{, séquelles minimes|, sans séquelle motrice|, discrète parésie du "
                    + "membre supérieur droit|}"));
        }
        if (!day.isBefore(t.af())) {
            String drug = java.util.Objects.requireNonNull(t.anticoagulant(day));
            p.fact(
                    p.x("- {FA|ACFA|fibrillation auriculaire} {permanente|paroxystique|} {découverte en|depuis} $fa"
                            + "{ (bilan de l'AVC)|}, sous " + drug),
                    drugs());
        }
        if (!day.isBefore(t.heartFailure().plusDays(8))) {
            p.fact(p.x("- {insuffisance cardiaque à FEVG préservée|IC à FE préservée}{, OAP en "
                    + t.heartFailure().getYear() + "| (hospitalisation en " + MONTH.format(t.heartFailure()) + ")}"));
        }
        if (!day.isBefore(t.nephrologist())) {
            p.fact(p.x("- {maladie rénale chronique stade 3|MRC stade 3b|insuffisance rénale chronique}"
                    + "{, suivie par le néphrologue|, suivi néphro depuis "
                    + t.nephrologist().getYear() + "|}"));
        }
        List<LocalDate> falls = t.fallsBefore(day);
        if (!falls.isEmpty()) {
            StringBuilder dates = new StringBuilder();
            for (LocalDate fall : falls) {
                dates.append(dates.isEmpty() ? "" : ", ").append(MONTH.format(fall));
            }
            p.fact(p.x("- {chutes|chutes à répétition|chutes multiples} (" + dates + ")"
                    + (falls.size() > 1
                            ? "{, fracture du poignet gauche en "
                                    + t.falls().get(1).getYear() + "|}"
                            : "")));
        }
        if (!day.isBefore(t.dementia())) {
            p.fact(p.x("- {troubles neurocognitifs majeurs|démence mixte|troubles cognitifs} {diagnostiqués en|depuis} "
                    + t.dementia().getYear()));
        }
        if (random.nextInt(3) == 0) {
            p.say(
                    Model.Polarity.FAMILY,
                    "- {familiaux|ATCD familiaux|famille} : {mère diabétique|mère : DT2|diabète chez la mère}"
                            + "{, sœur : cancer du sein|, sœur traitée pour un cancer du sein|}");
        }
    }

    private Model.Mention drugs() {
        return new Model.Mention("anticoagulant", Model.Polarity.AFFIRMED, Model.Evidence.DRUGS);
    }

    private Model.Mention anticoagulantInWords() {
        return new Model.Mention("anticoagulant", Model.Polarity.AFFIRMED, Model.Evidence.TEXT);
    }

    /** The drug list of {@code day}, by name and dosage, as a prescription or a letter writes it. */
    private void treatment(Page p, LocalDate day, boolean dosages) {
        for (Model.Medication m : s.medicationsOn(day)) {
            String line = p.x("{- |• |}") + m.name() + (dosages ? p.x("{ : | — | }") + m.dosage() : "");
            if (m.atc().startsWith("B01A")) {
                p.fact(line, drugs());
            } else {
                p.fact(line);
            }
        }
    }

    private String vitals(Page p, double weight) {
        int sys = 118 + random.nextInt(35);
        int dia = 62 + random.nextInt(22);
        int fc = 60 + random.nextInt(30);
        s.measure(p.at, "8480-6", "Pression artérielle systolique", sys, "mmHg", "mm[Hg]", "vital-signs", 90.0, 140.0);
        s.measure(p.at, "8462-4", "Pression artérielle diastolique", dia, "mmHg", "mm[Hg]", "vital-signs", 50.0, 90.0);
        s.measure(p.at, "8867-4", "Fréquence cardiaque", fc, "/min", "/min", "vital-signs", 50.0, 100.0);
        String pressure = p.x("{TA|PA|T.A.} " + sys + "/" + dia + "{ mmHg|}");
        String pulse = p.x("{FC|pouls} " + fc + "{/min| bpm|}");
        return weight > 0
                ? pressure + ", " + pulse + p.x(", {poids|P} ") + number(weight) + " kg"
                : pressure + ", " + pulse;
    }

    // --- general practice --------------------------------------------------------------------------------------

    private void generalPractice() {
        LocalDate day = t.start().plusDays(random.nextInt(20));
        LocalDate lastVisit = t.start().minusMonths(1);
        double lastWeight = s.weight(lastVisit, 0);
        int year = -1;
        while (day.isBefore(t.today())) {
            if (s.inHospital(day) == null && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                String gp = day.isBefore(t.start().plusYears(9)) ? s.cast.gp() : s.cast.successor();
                if (random.nextInt(9) == 0) {
                    gp = s.cast.locums().get(random.nextInt(s.cast.locums().size()));
                }
                LocalDateTime at = day.atTime(9 + random.nextInt(9), random.nextInt(4) * 15);
                double weight = s.weight(day, random.nextGaussian() * 0.4);
                s.measure(at, "29463-7", "Poids", weight, "kg", "kg", "vital-signs", null, null);
                boolean home = !day.isBefore(t.falls().get(0)) && random.nextInt(3) > 0;
                s.encounter("AMB", at, at.plusMinutes(20), home ? "Visite à domicile" : "Consultation de suivi", gp);
                consultation(gp, at, lastVisit, weight, lastWeight, home);
                prescription(gp, at.plusMinutes(15), day);
                if (random.nextInt(3) > 0) {
                    labDays.add(at.toLocalDate().plusDays(2 + random.nextInt(5)).atTime(7, 30 + random.nextInt(20)));
                }
                if (day.getYear() != year) {
                    year = day.getYear();
                    synthesis(gp, at.plusMinutes(30));
                }
                lastVisit = day;
                lastWeight = weight;
            }
            day = day.plusDays(24 + random.nextInt(14));
        }
        if (!t.diabetes().isBefore(t.start())) {
            diabetesFound();
        }
        anticoagulantInrChecks();
        // Written in date order, so that each report's previous results are the ones before it.
        for (LocalDateTime at : labDays) {
            labs(at);
        }
    }

    private void consultation(
            String gp, LocalDateTime at, LocalDate since, double weight, double lastWeight, boolean home) {
        Page p = new Page(gp, at);
        LocalDate day = p.day();
        p.heading(
                home
                        ? "{Visite à domicile|VAD|Visite au domicile} {du|le} $date"
                        : "{Consultation|Cs|CONSULTATION} {du|le} $date");
        p.say("{Motif|MOTIF|Mtf} : {renouvellement|suivi {trimestriel|habituel|des pathologies chroniques}|"
                + "{renouvellement d'ordonnance|renouvellement du traitement}[ et $symptom]|point sur les résultats "
                + "{du bilan|de la prise de sang}|{demande de la fille|appel de sa fille} pour $symptom}");
        p.copyForward(0.6, 4);
        history(p, day);
        p.blank();
        p.heading("{Depuis la dernière consultation|Evolution|HDM|Interrogatoire|Depuis le " + SHORT.format(since)
                + "} :");
        sinceLastVisit(p, since, day);
        interval(p, 3 + random.nextInt(4));
        routineNegations(p, since, day, 1 + random.nextInt(2));
        p.blank();
        p.heading("{Examen|EXAMEN|Examen clinique|A l'examen|Ex} :");
        p.fact(vitals(p, 0)
                + p.x("{, |. }{poids|Poids|P} ")
                + number(weight)
                + p.x("{ kg| kg (" + number(lastWeight) + " kg la fois précédente)| kg}"));
        exam(p, 2 + random.nextInt(3));
        p.blank();
        p.heading("{Conclusion|CONCLUSION|Au total|Synthèse|CAT} :");
        conclusion(p, day);
        p.fact(p.signature());
        p.file(Model.DocKind.CONSULTATION, p.x("{Consultation|Consultation de suivi|Cs} " + DAY.format(day)));
    }

    /** What happened since the last visit, from the timeline: each event told with its own date. */
    private void sinceLastVisit(Page p, LocalDate since, LocalDate day) {
        for (Chronicle.Stay stay : s.stays) {
            if (stay.admission().isAfter(since) && !stay.admission().isAfter(day)) {
                String when = date(stay.admission());
                if (stay.discharge().isAfter(stay.admission())) {
                    p.say("{Hospitalisée|Hospitalisation} {du " + when + " au " + date(stay.discharge()) + "|le "
                            + when + " pendant " + ChronoUnit.DAYS.between(stay.admission(), stay.discharge())
                            + " jours} en " + stay.service() + " pour " + stay.found() + ".");
                } else {
                    p.say("{Passage aux urgences|Passage aux UAU|Consulte aux urgences} le " + when + " pour "
                            + stay.found() + ".");
                }
            }
        }
        for (LocalDate fall : t.falls()) {
            if (fall.isAfter(since) && !fall.isBefore(since) && !fall.isAfter(day)) {
                p.say("{A chuté|Chute} {à domicile|dans sa cuisine|en allant aux toilettes la nuit|dans la salle de "
                        + "bain} le " + date(fall)
                        + "{, relevée par {sa fille|la voisine|l'infirmière}|, s'est relevée "
                        + "seule|, a déclenché la téléalarme}.");
            }
        }
        if (t.apixaban().isAfter(since) && !t.apixaban().isAfter(day)) {
            p.say(
                    "{Relais|Changement} warfarine → apixaban le " + date(t.apixaban()) + " après l'épistaxis du "
                            + date(t.bleed()) + ".",
                    drugs());
        }
        if (t.hypoglycemia().isAfter(since) && !t.hypoglycemia().isAfter(day)) {
            p.say("{Malaise hypoglycémique|Hypoglycémie} le " + date(t.hypoglycemia())
                    + "{ à 0,48 g/L| à 0,52 g/L, resucrée par l'IDE}, dose de glargine diminuée.");
        }
    }

    private static final List<String> INTERVAL = List.of(
            "{Se plaint de|Signale|Rapporte} $symptom{ depuis quelques jours| depuis une semaine|}[, $otc {proposé|conseillé}].",
            "{Dort bien|Sommeil correct|Nuits agitées selon sa fille|Se réveille tôt}{, sieste l'après-midi|}.",
            "{Vit seule à domicile|Vit seule en appartement au 2e étage sans ascenseur|Vit seule, sa fille passe tous "
                    + "les jours}{, aide-ménagère {2|3} fois par semaine|, portage des repas|}.",
            "{Bonne|Assez bonne|Observance} observance{ du traitement|}{, pilulier préparé par l'IDE|}.",
            "{Sort peu|Va encore au marché le jeudi|Ne sort plus seule|Fait le tour du pâté de maisons avec sa canne}"
                    + "{, $aid à domicile|}.",
            "{Moral|Humeur} {correct|fluctuant|bon} {, $mood|}.",
            "{Appétit conservé|Mange {correctement|un peu moins|comme d'habitude}}{, portage des repas en semaine|}.",
            "{Sa fille|Son fils|La famille} {demande|souhaite} {un point sur les aides|un bon de transport|"
                    + "un certificat pour la MDPH|un renouvellement de l'APA|des séances de kiné}.",
            "Parle de $memory.");

    private void interval(Page p, int count) {
        for (int i = 0; i < count; i++) {
            p.say(INTERVAL.get(random.nextInt(INTERVAL.size())));
        }
    }

    /** What a clinician rules out out of habit, only when it is true that day. */
    private void routineNegations(Page p, LocalDate since, LocalDate day, int count) {
        List<String> pool = new ArrayList<>(List.of(
                "{Pas de|Absence de|Ni} douleur thoracique{, pas de palpitations|}.",
                "{Pas de fièvre|Apyrétique|Pas d'épisode fébrile}.",
                "{Pas de dyspnée|Pas d'essoufflement|Absence de dyspnée} {au repos|à l'effort habituel|}."));
        boolean fell = t.falls().stream().anyMatch(f -> f.isAfter(since) && !f.isAfter(day));
        if (!fell && age(day) >= 75) {
            pool.add("{Pas de chute|Pas de nouvelle chute|Aucune chute} {depuis la dernière consultation|ce mois-ci|"
                    + "signalée par l'entourage}.");
        }
        if (!day.isBefore(t.insulin())
                && (t.hypoglycemia().isBefore(since) || t.hypoglycemia().isAfter(day))) {
            pool.add("{Pas d'hypoglycémie|Aucune hypoglycémie} {ressentie|sur le carnet|rapportée par l'IDE}.");
        }
        String drug = t.anticoagulant(day);
        if (drug != null && (t.bleed().isBefore(since) || t.bleed().isAfter(day))) {
            pool.add("{Pas de saignement sous " + drug + "|Pas de saignement sous "
                    + (t.onVitaminKAntagonist(day) ? "AVK" : "AOD") + "|Aucun saignement sous traitement}"
                    + "{, pas d'hématome|}.");
        }
        if (day.isBefore(t.weightLossFrom())) {
            pool.add("{Pas de perte de poids|Poids stable, pas de perte pondérale}.");
        }
        for (int i = 0; i < count && !pool.isEmpty(); i++) {
            String line = pool.remove(random.nextInt(pool.size()));
            if (drug != null && line.contains("sous " + drug)) {
                p.say(Model.Polarity.NEGATED, line, drugs());
            } else {
                p.say(Model.Polarity.NEGATED, line);
            }
        }
    }

    private static final List<String> EXAM = List.of(
            "{Auscultation cardiaque|BDC} {irréguliers|irrégulière}, {pas de souffle|souffle systolique 2/6 connu}.",
            "{Auscultation pulmonaire|AP} : {MV symétrique|murmure vésiculaire symétrique}{, quelques crépitants des "
                    + "bases| sans crépitant|}.",
            "{Pas d'OMI|Discrets OMI|OMI prenant le godet aux chevilles}{, mollets souples|}.",
            "{Abdomen souple|Ventre souple}{, indolore|, non douloureux}.",
            "{Pieds|Examen des pieds} : {pas de plaie|$skin}{, monofilament perçu|, pouls pédieux perçus|}.",
            "{Marche|Déambulation} {avec $aid|à petits pas avec $aid|seule dans le cabinet}.",
            "{Orientée|Contact bon|Discours cohérent}{, un peu lente à répondre|}.");

    private void exam(Page p, int count) {
        for (String filled : sample(EXAM, count)) {
            boolean walking = filled.startsWith("{Marche");
            boolean irregular = filled.startsWith("{Auscultation cardiaque|BDC}");
            if (walking && p.day().isBefore(t.stroke()) || irregular && p.day().isBefore(t.af())) {
                continue;
            }
            p.say(filled);
        }
    }

    private void conclusion(Page p, LocalDate day) {
        p.say("{HTA|Tension} {équilibrée|correcte|un peu haute ce jour, à recontrôler}.");
        if (!day.isBefore(t.diabetes())) {
            p.say("{DT2|Diabète} {équilibré|correctement équilibré|à surveiller}{, HbA1c à revoir|}.");
        }
        if (!day.isBefore(t.af())) {
            String drug = java.util.Objects.requireNonNull(t.anticoagulant(day));
            p.say(
                    "{FA|ACFA} {sous|traitée par} " + drug + "{, bien toléré|, tolérance correcte|}"
                            + (t.onVitaminKAntagonist(day) ? "{, INR dans la cible|, INR à surveiller}" : "") + ".",
                    drugs());
        }
        p.say("{Renouvellement|Renouvellement du traitement|Ordonnance renouvelée} {pour 3 mois|à l'identique|}.");
        p.say("{Revoir|Prochain RDV|A revoir} {dans 1 mois|dans un mois|en {novembre|janvier|mars|mai|juillet|"
                + "septembre}|après le bilan}.");
    }

    private void prescription(String gp, LocalDateTime at, LocalDate day) {
        Page p = new Page(gp, at);
        p.heading("{Ordonnance|ORDONNANCE|Prescription} {du|le} $date");
        p.fact("Mme " + s.identity.usedFamily().toUpperCase(Locale.ROOT) + " " + s.identity.firstGiven()
                + p.x("{, " + age(day) + " ans|}"));
        treatment(p, day, true);
        if (!day.isBefore(t.stroke())) {
            p.say("{Soins infirmiers à domicile|IDE à domicile|Passage IDE} {1|2} fois par jour{ pour préparation du "
                    + "pilulier| pour surveillance et administration du traitement|, dimanches et fériés compris}.");
        }
        p.say("{QSP|Qsp|Pour} {3 mois|1 mois, à renouveler 2 fois|3 mois, ne pas substituer}.");
        p.fact(p.signature());
        p.file(Model.DocKind.ORDONNANCE, p.x("{Ordonnance|Ordonnance de renouvellement} " + DAY.format(day)));
    }

    private void diabetesFound() {
        Page p = new Page(s.cast.gp(), t.diabetes().atTime(17, 30));
        double g1 = 1.26 + random.nextInt(20) / 100.0;
        double g2 = 1.28 + random.nextInt(25) / 100.0;
        p.heading("Consultation du $date");
        p.say("Motif : {résultats du bilan|glycémie élevée au bilan}.");
        p.fact("Diabète de type 2 découvert ce jour : glycémies à jeun à " + number(g1) + " et " + number(g2)
                + " g/L à deux reprises.");
        p.say("{Pas de syndrome polyuro-polydipsique|Asymptomatique}.");
        p.say(Model.Polarity.FAMILY, "{Mère diabétique|Diabète chez la mère}.");
        p.say("Mise en route de la metformine à dose progressive, {consultation diététique|avis diététique} demandée.");
        p.say(
                Model.Polarity.GENERIC,
                "{Fiche d'information remise|Livret remis} : le diabète {expose à des complications|se surveille} au "
                        + "niveau des yeux, des reins et des pieds.");
        p.fact(p.signature());
        p.file(Model.DocKind.CONSULTATION, "Consultation — découverte d'un diabète");
        Page d = new Page(s.cast.dietitian(), t.diabetes().plusDays(30).atTime(11, 0));
        dietitian(d, true);
        Page e = new Page(s.cast.dietitian(), t.diabetes().plusDays(400).atTime(11, 0));
        dietitian(e, false);
    }

    private void dietitian(Page p, boolean first) {
        p.heading("{Consultation diététique|Bilan diététique|Suivi diététique} du $date");
        p.say("{Adressée par|À la demande du} {Dr|docteur} "
                + s.professional(s.cast.gp()).family()
                + " pour {équilibre alimentaire|diabète de type 2 récent|conseils alimentaires}.");
        p.fact(p.x("{Poids|P} ") + number(s.weight(p.day(), 0)) + p.x(" kg{, taille 1,58 m|}."));
        for (int i = 0; i < 4; i++) {
            p.say("{Petit déjeuner|Déjeuner|Goûter|Dîner} : $starter{, $main|}{ et $dessert|}{, avec $drink|}.");
        }
        p.say(
                "{Conseils|Objectifs} : {privilégier|augmenter} les $advice, {limiter|réduire} les $advice2{, répartir les "
                        + "féculents sur les trois repas|}.");
        p.say(
                Model.Polarity.GENERIC,
                "{Rappel|Information} : la dénutrition {de la personne âgée|du sujet âgé} {est fréquente et|}"
                        + " se prévient par des repas réguliers.");
        p.say("{Prochain rendez-vous|Revoir} {dans 3 mois|dans un an|si besoin}.");
        p.fact(p.signature() + ", diététicienne");
        p.file(Model.DocKind.CONSULTATION, first ? "Consultation diététique" : "Suivi diététique");
    }

    private void synthesis(String gp, LocalDateTime at) {
        Page p = new Page(gp, at);
        LocalDate day = p.day();
        p.heading("{Synthèse médicale|VSM|Volet de synthèse médicale} {au|du} $date");
        p.fact("Mme " + s.identity.usedFamily().toUpperCase(Locale.ROOT) + " " + s.identity.firstGiven() + ", née le "
                + DAY.format(s.identity.birthDate()) + " (" + age(day) + " ans)");
        history(p, day);
        p.heading("{Traitement en cours|Traitement} :");
        treatment(p, day, true);
        p.heading("{Allergies|Allergie} :");
        p.say("{Pénicilline (urticaire)|pénicilline : urticaire généralisée}.");
        p.heading("{Mode de vie|Contexte} :");
        interval(p, 2);
        p.heading("{Points de vigilance|Vigilance} :");
        p.say("{Polymédication|Iatrogénie} {à réévaluer|à surveiller}{, fonction rénale pour les posologies|}.");
        if (!day.isBefore(t.af())) {
            p.say("{Risque hémorragique|Surveillance du traitement} : " + t.anticoagulant(day) + ".", drugs());
        }
        p.fact(p.signature());
        p.file(Model.DocKind.SYNTHESE, "Synthèse médicale " + day.getYear());
    }

    // --- biology -------------------------------------------------------------------------------------------------

    private final Map<String, Double> previous = new HashMap<>();
    private final java.util.TreeSet<LocalDateTime> labDays = new java.util.TreeSet<>();

    private void labs(LocalDateTime at) {
        LocalDate day = at.toLocalDate();
        if (!day.isBefore(t.today()) || s.inHospital(day) != null) {
            return;
        }
        Page p = new Page(s.cast.biologist(), at.plusHours(9));
        p.heading("{Laboratoire de biologie médicale|LBM|Laboratoire} — {compte rendu|résultats} du $date");
        p.fact("Prélèvement du " + DAY.format(day) + " à " + TIME.format(at));
        p.fact("Patiente : " + s.identity.usedFamily().toUpperCase(Locale.ROOT) + " " + s.identity.firstGiven());
        List<Model.Mention> numbers = new ArrayList<>();
        double hb = s.haemoglobin(day);
        result(p, at, "718-7", "Hémoglobine", hb, "g/dL", 12.0, 16.0);
        if (hb < 12.0) {
            numbers.add(new Model.Mention("anemie", Model.Polarity.AFFIRMED, Model.Evidence.NUMBERS));
        }
        result(p, at, "6690-2", "Leucocytes", 5 + random.nextInt(40) / 10.0, "G/L", 4.0, 10.0);
        result(p, at, "777-3", "Plaquettes", 180 + random.nextInt(150), "G/L", 150.0, 400.0);
        double egfr = s.egfr(day);
        double creat = Math.round(880.0 / Math.max(15, egfr) * 8);
        result(p, at, "14682-9", "Créatinine", creat, "µmol/L", 45.0, 90.0);
        result(p, at, "62238-1", "DFG estimé (CKD-EPI)", egfr, "mL/min/1,73m²", 60.0, null);
        if (egfr < 60) {
            numbers.add(new Model.Mention("insuffisance_renale", Model.Polarity.AFFIRMED, Model.Evidence.NUMBERS));
        }
        result(p, at, "2823-3", "Potassium", 3.8 + random.nextInt(14) / 10.0, "mmol/L", 3.5, 5.0);
        if (!day.isBefore(t.diabetes().minusYears(1))) {
            result(p, at, "4548-4", "HbA1c", 6.2 + random.nextInt(18) / 10.0, "%", 4.0, 6.0);
        }
        if (t.onVitaminKAntagonist(day)) {
            result(p, at, "6301-6", "INR", 1.8 + random.nextInt(16) / 10.0, "", 2.0, 3.0);
            p.say(
                    "{INR|I.N.R.} {cible 2 à 3|zone thérapeutique 2-3} {sous AVK|(traitement par AVK)}.",
                    anticoagulantInWords());
        }
        if (!day.isBefore(t.heartFailure())) {
            result(p, at, "33762-6", "NT-proBNP", 600 + random.nextInt(2500), "pg/mL", null, 450.0);
        }
        p.say("{Résultats validés|Validé} par {le biologiste|" + p.signature() + "}.");
        p.fact("", numbers.toArray(Model.Mention[]::new));
        p.file(Model.DocKind.CR_BIOLOGIE, "Compte rendu de biologie du " + DAY.format(day));
    }

    private void result(
            Page p,
            LocalDateTime at,
            String loinc,
            String label,
            double value,
            String unit,
            @org.jspecify.annotations.Nullable Double low,
            @org.jspecify.annotations.Nullable Double high) {
        s.measure(at, loinc, label, value, unit, unit.isEmpty() ? "{INR}" : unit, "laboratory", low, high);
        String flag = high != null && value > high ? " H" : low != null && value < low ? " B" : "";
        Double before = previous.put(loinc, value);
        String range = low != null && high != null
                ? " (" + number(low) + "–" + number(high) + ")"
                : high != null ? " (< " + number(high) + ")" : low != null ? " (> " + number(low) + ")" : "";
        p.fact(label + " : " + number(value) + (unit.isEmpty() ? "" : " " + unit) + range + flag
                + (before != null ? "   antériorité : " + number(before) : ""));
    }

    private void anticoagulantInrChecks() {
        for (LocalDate day = t.af().plusDays(7);
                day.isBefore(t.apixaban());
                day = day.plusDays(18 + random.nextInt(12))) {
            labDays.add(day.atTime(7, 45));
        }
        for (LocalDate day = t.nephrologist(); day.isBefore(t.today()); day = day.plusDays(40 + random.nextInt(20))) {
            labDays.add(day.atTime(8, 0));
        }
    }

    // --- specialists --------------------------------------------------------------------------------------------

    private void specialists() {
        for (LocalDate day = t.af().plusDays(90);
                day.isBefore(t.today());
                day = day.plusDays(300 + random.nextInt(120))) {
            if (s.inHospital(day) == null) {
                cardiology(day.atTime(14, 30));
            }
        }
        for (LocalDate day = t.nephrologist(); day.isBefore(t.today()); day = day.plusDays(150 + random.nextInt(60))) {
            if (s.inHospital(day) == null) {
                nephrology(day.atTime(10, 0), day.equals(t.nephrologist()));
            }
        }
        for (LocalDate day = t.dementia().minusDays(700);
                day.isBefore(t.today());
                day = day.plusDays(250 + random.nextInt(100))) {
            if (s.inHospital(day) == null) {
                geriatrics(day.atTime(9, 30));
            }
        }
        endocrinology(t.insulin().minusDays(20).atTime(11, 0));
        endocrinology(t.insulin().plusDays(200).atTime(11, 0));
    }

    private void letterHead(Page p, String specialty, String subject) {
        p.heading("{Consultation de " + specialty + "|" + specialty.toUpperCase(Locale.ROOT)
                + " — consultation} du $date");
        p.say("{Cher confrère|Cher ami|Chère consœur, cher confrère},");
        p.say("{J'ai revu|Je revois|J'ai vu} {ce jour|en consultation} Mme $nom, $age ans, {pour le suivi de|"
                + "que vous m'adressez pour} " + subject + ".");
    }

    private void cardiology(LocalDateTime at) {
        Page p = new Page(s.cast.cardiologist(), at);
        LocalDate day = p.day();
        s.encounter("AMB", at, at.plusMinutes(30), "Consultation de cardiologie", p.author);
        letterHead(p, "cardiologie", "{sa FA|sa fibrillation auriculaire|son cœur}");
        history(p, day);
        p.say("{Sur le plan fonctionnel|Cliniquement}, {dyspnée stade NYHA II|pas de dyspnée de repos|"
                + "essoufflement à la montée d'un étage}.");
        p.fact(vitals(p, 0) + ".");
        p.say("{ECG|E.C.G.} : {FA à réponse ventriculaire contrôlée|ACFA à " + (65 + random.nextInt(20))
                + "/min}{, QRS fins|, pas de trouble de repolarisation|}.");
        p.say("{ETT|Echographie cardiaque} : FEVG à " + (50 + random.nextInt(12)) + " %{, OG dilatée|, pas de "
                + "valvulopathie significative|}.");
        String drug = java.util.Objects.requireNonNull(t.anticoagulant(day));
        p.say(
                "{Score CHA2DS2-VASc|CHA2DS2-VASc} à " + (6 + random.nextInt(2)) + ", {poursuite de|maintien de} "
                        + "l'anticoagulation par " + drug + "{, dose adaptée à l'âge et à la fonction rénale|}.",
                anticoagulantInWords());
        if (random.nextInt(3) == 0) {
            p.say(
                    Model.Polarity.GENERIC,
                    "{Rappel|Information donnée} : tout saignement sous anticoagulant "
                            + "{doit faire consulter|impose un avis médical}.");
        }
        p.say("{Je la reverrai|Revoir} dans un an{, plus tôt si besoin|}.");
        p.say("{Bien confraternellement|Amitiés|Cordialement},");
        p.fact(p.signature());
        p.file(Model.DocKind.CONSULTATION, "Consultation de cardiologie — " + DAY.format(day));
    }

    private void nephrology(LocalDateTime at, boolean first) {
        Page p = new Page(s.cast.nephrologist(), at);
        LocalDate day = p.day();
        s.encounter("AMB", at, at.plusMinutes(30), "Consultation de néphrologie", p.author);
        letterHead(p, "néphrologie", "{sa fonction rénale|la dégradation de sa fonction rénale}");
        history(p, day);
        double egfr = s.egfr(day);
        p.fact("DFG estimé à " + number(egfr) + " mL/min/1,73m²" + p.x("{ (CKD-EPI)|}."));
        p.say(
                first
                        ? "{Insuffisance rénale chronique|Maladie rénale chronique} stade 3{b|} d'origine {vasculaire et "
                                + "diabétique|probablement mixte}, {arrêt de la metformine|metformine arrêtée}."
                        : "{Insuffisance rénale chronique|MRC} {en lente dégradation|lentement évolutive|stable}.");
        p.say("{Adaptation|Ajustement} des posologies{ à la fonction rénale|}, {pas d'AINS|éviter les AINS}.");
        p.say("{Bilan|Surveillance} {tous les 2 mois|trimestrielle} : iono, créatinine, NFS.");
        p.fact(p.signature());
        p.file(Model.DocKind.CONSULTATION, "Consultation de néphrologie — " + DAY.format(day));
    }

    private void geriatrics(LocalDateTime at) {
        Page p = new Page(s.cast.geriatrician(), at);
        LocalDate day = p.day();
        s.encounter("AMB", at, at.plusMinutes(60), "Évaluation gériatrique", p.author);
        p.heading("{Evaluation gériatrique|Consultation mémoire|Consultation de gériatrie} du $date");
        history(p, day);
        int mmse = Math.max(12, 27 - (int) ChronoUnit.YEARS.between(t.dementia().minusYears(2), day) * 2);
        p.fact("MMSE " + mmse + "/30"
                + p.x("{, test de l'horloge {échoué|imparfait}|, 5 mots de Dubois " + (3 + random.nextInt(3))
                        + "/10|}."));
        p.fact("GIR " + (day.isBefore(t.dementia()) ? 4 : 3) + p.x("{, ADL " + (4 + random.nextInt(2)) + "/6|}."));
        p.say("{Timed up and go|TUG} {en|à} " + (18 + random.nextInt(12)) + " s{, appui unipodal impossible|}.");
        p.say(
                Model.Polarity.HYPOTHETICAL,
                "{Syndrome dépressif à éliminer|Suspicion de syndrome dépressif}{, GDS à faire|}.");
        p.say(Model.Polarity.HYPOTHETICAL, "{Dénutrition à évaluer|Dénutrition à éliminer}{, albumine demandée|}.");
        p.say(
                day.isBefore(t.dementia())
                        ? "{Troubles cognitifs légers|Plainte mnésique avec troubles légers}, {bilan à compléter|IRM demandée}."
                        : "{Troubles neurocognitifs majeurs|Démence mixte} {confirmés|stade modéré}, {aides à renforcer|"
                                + "demande d'APA}.");
        p.fact(p.signature());
        p.file(Model.DocKind.CONSULTATION, "Évaluation gériatrique — " + DAY.format(day));
    }

    private void endocrinology(LocalDateTime at) {
        Page p = new Page(s.cast.endocrinologist(), at);
        LocalDate day = p.day();
        s.encounter("AMB", at, at.plusMinutes(30), "Consultation d'endocrinologie", p.author);
        letterHead(p, "diabétologie", "{son diabète|l'équilibre glycémique}");
        history(p, day);
        p.say(
                day.isBefore(t.insulin())
                        ? "{Déséquilibre du diabète|HbA1c au-dessus de l'objectif} malgré la metformine, {introduction d'une "
                                + "insuline basale|mise sous glargine} avec passage IDE."
                        : "{Insuline basale|Glargine} {bien tolérée|efficace}, {titration par l'IDE|adaptation selon les "
                                + "glycémies du matin}.");
        p.fact(p.signature());
        p.file(Model.DocKind.CONSULTATION, "Consultation de diabétologie — " + DAY.format(day));
    }

    // --- hospital -----------------------------------------------------------------------------------------------

    private void hospital() {
        String ward = s.cast.geriatrician();
        for (Chronicle.Stay stay : s.stays) {
            String doctor = "cardiologie".equals(stay.service()) ? s.cast.cardiologist() : ward;
            if (stay.discharge().equals(stay.admission())) {
                emergency(stay);
                continue;
            }
            LocalDateTime admission = stay.admission().atTime(11, 0);
            Model.Encounter encounter =
                    s.encounter("IMP", admission, stay.discharge().atTime(14, 0), stay.reason(), doctor);
            for (LocalDate day = stay.admission(); day.isBefore(stay.discharge()); day = day.plusDays(1)) {
                progress(doctor, day.atTime(10, 30), stay);
                for (int shift = 0; shift < 2; shift++) {
                    String nurse = s.cast.wardNurses()
                            .get(random.nextInt(s.cast.wardNurses().size()));
                    wardNursing(
                            nurse,
                            day.atTime(shift == 0 ? 13 : 20, random.nextInt(50)),
                            stay,
                            encounter.organisationKey());
                }
            }
            Model.Document report = hospitalReport(doctor, stay, encounter.organisationKey());
            Model.Document letter = dischargeLetter(doctor, stay, encounter.organisationKey());
            if (stay.why().equals("pneumopathie")) {
                s.duplicate(letter, stay.discharge().plusDays(3).atTime(9, 0));
            }
            java.util.Objects.requireNonNull(report);
            imaging(stay);
        }
        imaging(null);
    }

    private void mentionOfStay(Page p, Chronicle.Stay stay, LocalDate day) {
        switch (stay.why()) {
            case "AVC" ->
                p.say("{AVC ischémique|Infarctus cérébral} sylvien gauche {le " + date(stay.admission())
                        + "|à J" + ChronoUnit.DAYS.between(stay.admission(), day) + "}{, déficit en régression|, "
                        + "aphasie régressive|}.");
            case "OAP" ->
                p.say("{OAP|Œdème aigu du poumon|Décompensation cardiaque} {à l'admission|le " + date(stay.admission())
                        + "}{, amélioration sous diurétiques IV|}.");
            case "pneumopathie" ->
                p.say("{Pneumopathie droite|PFLA droite} sous antibiotiques{, fièvre le " + date(stay.admission())
                        + "|}, {confusion|syndrome confusionnel} {en amélioration|fluctuante}.");
            default ->
                p.say("{Chute|Suite de chute} le " + date(stay.admission()) + "{, station au sol prolongée|}, "
                        + "{bilan de chute en cours|troubles de la marche à la reprise}.");
        }
    }

    private void progress(String doctor, LocalDateTime at, Chronicle.Stay stay) {
        Page p = new Page(doctor, at);
        LocalDate day = p.day();
        p.heading("{Observation médicale|Obs|Visite} J" + ChronoUnit.DAYS.between(stay.admission(), day) + " — $date");
        mentionOfStay(p, stay, day);
        p.copyForward(0.5, 2);
        p.fact(vitals(p, 0) + p.x("{, SpO2 " + (92 + random.nextInt(6)) + " %|}."));
        exam(p, 2);
        p.say("{Biologie|Bio} : {CRP en baisse|iono correct|créatinine stable|NFS à recontrôler}.");
        p.say("{Plan|CAT|Conduite} : {poursuite|même traitement}{, mobilisation au fauteuil|, kiné|, avis "
                + "assistante sociale|}.");
        p.fact(p.signature());
        p.file(Model.DocKind.NOTE_EVOLUTION, "Observation médicale — " + DAY.format(day));
    }

    private void wardNursing(String nurse, LocalDateTime at, Chronicle.Stay stay, String organisation) {
        Page p = new Page(nurse, at);
        p.heading("{Transmissions|Cible|Transmissions ciblées} $heure");
        p.say("{Patiente|Mme $nom} {calme|$mood}{, $care|}.");
        p.fact(vitals(p, 0) + ".");
        if ("pneumopathie".equals(stay.why())
                && p.day().isBefore(stay.admission().plusDays(4))) {
            p.say("{Confusion|Désorientée} {la nuit|en fin de journée}, {barrières|rassurée}.");
        }
        p.say("{A mangé|Repas :} $main{, $dessert|}{, a bu $drink|}.");
        p.say(Model.Polarity.NEGATED, "{Pas d'escarre|Points d'appui vérifiés, pas d'escarre}.");
        p.fact(p.signature());
        p.file(Model.DocKind.NOTE_INFIRMIERE, "Transmissions infirmières — " + DAY.format(p.day()), organisation);
    }

    private Model.Document hospitalReport(String doctor, Chronicle.Stay stay, String organisation) {
        Page p = new Page(doctor, stay.discharge().atTime(15, 0));
        LocalDate day = stay.admission();
        p.heading("{Compte rendu d'hospitalisation|CRH} — service de " + stay.service());
        p.fact("Hospitalisation du " + DAY.format(stay.admission()) + " au " + DAY.format(stay.discharge()));
        p.fact("Mme " + s.identity.usedFamily().toUpperCase(Locale.ROOT) + " " + s.identity.firstGiven() + ", "
                + age(day) + " ans");
        p.say("{Motif|Motif d'hospitalisation} : " + stay.reason() + ".");
        history(p, day);
        p.heading("{Traitement à l'entrée|Traitement habituel} :");
        treatment(p, day, true);
        p.heading("{Histoire de la maladie|HDM} :");
        mentionOfStay(p, stay, day);
        interval(p, 3);
        p.heading("{Evolution|Évolution dans le service} :");
        for (int i = 0; i < 4; i++) {
            p.say("J" + (1 + 2 * i) + " : {amélioration|évolution favorable|état stable}{, $care|}{, $exercise|}.");
        }
        p.say("{Diagnostic principal|Diagnostic retenu} : " + stay.found() + ".");
        p.heading("{Traitement de sortie|Ordonnance de sortie} :");
        treatment(p, stay.discharge(), true);
        p.fact(p.signature());
        return p.file(
                Model.DocKind.CR_HOSPITALISATION, "Compte rendu d'hospitalisation — " + stay.service(), organisation);
    }

    private Model.Document dischargeLetter(String doctor, Chronicle.Stay stay, String organisation) {
        Page p = new Page(doctor, stay.discharge().atTime(16, 0));
        p.say("{Cher confrère|Chère consœur, cher confrère},");
        p.say("{Votre patiente|Mme $nom} a été hospitalisée du " + date(stay.admission()) + " au "
                + date(stay.discharge()) + " pour " + stay.reason() + ".");
        p.say("Diagnostic : " + stay.found() + ".");
        p.heading("Traitement de sortie :");
        treatment(p, stay.discharge(), false);
        p.say("{Retour à domicile|RAD} {avec reprise des passages IDE|avec sa fille}{, kiné à domicile|}.");
        p.fact(p.signature());
        return p.file(
                Model.DocKind.LETTRE_LIAISON, "Lettre de liaison — " + DAY.format(stay.discharge()), organisation);
    }

    private void emergency(Chronicle.Stay stay) {
        String doctor = s.cast.emergency().get(random.nextInt(s.cast.emergency().size()));
        LocalDateTime at = stay.admission().atTime(19, 0);
        Model.Encounter er = s.encounter("EMER", at.minusHours(4), at, stay.reason(), doctor);
        Page p = new Page(doctor, at);
        p.heading("{Passage aux urgences|Dossier des urgences} du $date");
        p.fact("Mme " + s.identity.usedFamily().toUpperCase(Locale.ROOT) + ", " + age(p.day()) + " ans");
        p.say("{Motif|Motif de recours} : " + stay.reason() + ".");
        history(p, p.day());
        if ("saignement".equals(stay.why())) {
            p.say("{Epistaxis|Épistaxis} sous warfarine depuis {le matin|la veille}, INR à 5,8{, méchage|}.", drugs());
            p.say("{Relais par apixaban à discuter avec le cardiologue|Proposition de relais par un AOD}.");
        } else {
            p.say("{Chute|Chute mécanique} à domicile ce jour{, réception sur la main gauche|}.");
            p.say("{Radio du poignet|Radiographie} : fracture de Pouteau-Colles non déplacée, {plâtre|résine} "
                    + "{6 semaines|pour 45 jours}.");
        }
        p.say(
                Model.Polarity.NEGATED,
                "{Pas de douleur thoracique|Absence de douleur thoracique}{, pas de " + "perte de connaissance|}.");
        p.say("{Retour à domicile|RAD} {avec consignes|, suivi par le médecin traitant}.");
        p.fact(p.signature());
        p.file(Model.DocKind.URGENCES, "Passage aux urgences — " + DAY.format(p.day()), er.organisationKey());
    }

    private void imaging(Chronicle.@org.jspecify.annotations.Nullable Stay stay) {
        if (stay == null) {
            LocalDate malaise = t.start().plusDays(300 + random.nextInt(200));
            Page p = new Page(s.cast.radiologist(), malaise.atTime(16, 0));
            p.heading("{Scanner cérébral sans injection|TDM cérébrale} du $date");
            p.say(
                    Model.Polarity.HYPOTHETICAL,
                    "Indication : malaise avec troubles de la parole transitoires, "
                            + "{AVC à éliminer|suspicion d'AVC}.");
            p.say("{Pas de lésion hémorragique|Absence de saignement intracrânien}, leucopathie vasculaire modérée.");
            p.say("{Conclusion|Au total} : pas de lésion récente{ visible|}.");
            p.fact(p.signature());
            p.file(Model.DocKind.CR_IMAGERIE, "Scanner cérébral — " + DAY.format(malaise));
            return;
        }
        Page p = new Page(s.cast.radiologist(), stay.admission().atTime(18, 0));
        switch (stay.why()) {
            case "AVC" -> {
                p.heading("IRM cérébrale du $date");
                p.say("Hypersignal diffusion cortico-sous-cortical sylvien gauche, compatible avec un AVC ischémique "
                        + "récent.");
            }
            case "OAP" -> {
                p.heading("Radiographie thoracique du $date");
                p.say("Syndrome alvéolo-interstitiel bilatéral, épanchement pleural droit, aspect d'OAP.");
            }
            case "pneumopathie" -> {
                p.heading("Radiographie thoracique du $date");
                p.say("Opacité alvéolaire systématisée du lobe inférieur droit.");
            }
            default -> {
                p.heading("{Radiographie du bassin et des hanches|Radio du bassin} du $date");
                p.say("Pas de fracture{ visible|}, coxarthrose {modérée|bilatérale}.");
            }
        }
        p.fact(p.signature());
        p.file(Model.DocKind.CR_IMAGERIE, "Compte rendu d'imagerie — " + DAY.format(p.day()));
    }

    // --- home nursing ---------------------------------------------------------------------------------------------

    private void homeNursing() {
        LocalDate from = t.stroke().plusDays(10);
        int week = 0;
        for (LocalDate day = from; day.isBefore(t.today()); day = day.plusDays(1)) {
            if (s.inHospital(day) != null) {
                continue;
            }
            int rota = (int) (ChronoUnit.DAYS.between(from, day) / 3)
                    % s.cast.homeNurses().size();
            String nurse = s.cast.homeNurses().get(rota);
            homeVisit(nurse, day.atTime(7 + random.nextInt(3), random.nextInt(60)), true);
            if (!day.isBefore(t.insulin())) {
                homeVisit(nurse, day.atTime(18 + random.nextInt(2), random.nextInt(60)), false);
            }
            if (day.getDayOfWeek() == DayOfWeek.MONDAY) {
                surveillance(nurse, day.atTime(9, 30), week++);
            }
        }
    }

    private static final List<String> NURSE_LINES = List.of(
            "{Réalisé|Fait|Effectué|Soins} : $care{, $care2|}{, puis $care2|}{ dans $room|}{, Mme $nom {coopérante|un peu "
                    + "réticente|aide volontiers}|}.",
            "{A mangé|Repas :|Au menu :|Déjeuner :|Pour le repas} $starter, $main {et|puis|,} $dessert{, {appétit correct|"
                    + "mange la moitié|a tout fini|laisse le dessert|picore}|}{, a bu $drink|}.",
            "{Mme $nom|Patiente|La patiente|Mme} {$mood|est $mood|se montre $mood}{, $pastime à notre arrivée|, "
                    + "assise dans $furniture|, en $clothes|}{, $complaint|}.",
            "{Visite de|Passage de|A eu la visite de} $visitor {$prenomProche |}{hier|ce matin|dans l'après-midi|ce "
                    + "week-end|samedi}{, {qui fait les courses|qui apporte le repas|qui repart demain|qui trouve sa mère "
                    + "$mood|qui travaille comme $job|qui a parlé de $news}|}.",
            "$weather, {volets fermés|fenêtres ouvertes|chauffage allumé|ventilateur en marche} {dans $room|}{, "
                    + "hydratation encouragée avec $drink|, $drink laissé à portée|}.",
            "{Peau|Cutané|État cutané|Au niveau cutané} : $skin{, $otc appliqué|, à surveiller|, {la fille|l'aide} "
                    + "prévenue|}.",
            "{Se plaint de|Signale|Plainte :|Évoque} $symptom{, $otc {proposé|appliqué|donné}|, {le médecin "
                    + "sera|Dr} prévenu|, $drug en cours prescrit par le remplaçant|}.",
            "{Évoque|Parle longuement de|Raconte|Nous parle de} $memory{, puis de $news|, les yeux brillants|}.",
            "{Pilulier|Semainier} {préparé|vérifié|refait}{ pour la semaine| dans $room|}{, prises de la veille {OK|correctes|"
                    + "oubli du soir|retrouvées sous $furniture}|}{, stock de $drug à renouveler|}.",
            "{Elle $pastime|$pastime} {quand nous arrivons|à notre passage|}{, $pet sur les genoux|, $pet à ses "
                    + "pieds|}.",
            "{Aide|Accompagnement} {aux transferts|à la toilette|au lever|au coucher} avec $aid{, de $room à $room|"
                    + "}{, {bonne|moyenne} participation|}.",
            "{Regarde|Nous montre|Parle de} {$garden|$bird} {depuis la fenêtre|du balcon|dans le jardin}{, $complaint|"
                    + ", {contente|ravie}|}.",
            "{Téléphone|Appel} de $visitor {$prenomProche2 |}{pendant le soin|à notre arrivée}{, {rassurée|inquiète} "
                    + "pour $news|, prévoit de passer {demain|dimanche}|}.",
            "{Ménage|Linge|Frigo} {vérifié|fait par l'aide|à faire} {dans $room|}{, $starter et $main {périmés|jetés|"
                    + "à finir}|, $clothes {au sale|à recoudre}}{, $visitor prévenue|}.",
            "$voisine, {la voisine|voisine du dessus}, {passe|est passée} {prendre des nouvelles|apporter $dessert|"
                    + "relever le courrier}{, $news|}.");

    private void homeVisit(String nurse, LocalDateTime at, boolean morning) {
        Page p = new Page(nurse, at);
        LocalDate day = p.day();
        p.heading((morning
                        ? "{Passage du matin|Tournée du matin|Matin|Passage IDE} {$heure|}"
                        : "{Passage du soir|Soir|Tournée du soir} {$heure|}")
                + "{ — |, |: }{IDE |}" + initials(nurse));
        p.copyForward(0.3, 2);
        events(p, day, morning);
        if (!day.isBefore(t.insulin())) {
            double glycemia = 0.9 + random.nextInt(130) / 100.0;
            p.fact(p.x("{Dextro|GC|Glycémie capillaire|HGT} {à|:} ")
                    + number(glycemia)
                    + p.x(" g/L")
                    + (morning
                            ? p.x("{, glargine|, Lantus|, insuline} " + (10 + random.nextInt(6))
                                    + " UI {faite|injectée|réalisée}{ abdomen| cuisse droite| bras gauche|}")
                            : p.x(" {avant|juste avant|pendant} le repas{ ($main)| du soir|}"))
                    + p.x("{, $mood|, en $clothes|, assise dans $furniture|, $pastime|}."));
        }
        if (t.onVitaminKAntagonist(day) && morning && random.nextInt(4) == 0) {
            p.say(
                    "{INR|I.N.R.} du {jour|matin} transmis au médecin{, dose d'AVK inchangée|, AVK inchangé}.",
                    anticoagulantInWords());
        }
        for (String template : sample(NURSE_LINES, 9 + random.nextInt(5))) {
            p.say(template);
        }
        if (random.nextInt(4) == 0) {
            p.fact(vitals(p, 0) + ".");
        }
        nurseNegation(p, day);
        if (!day.isBefore(t.dementia()) && random.nextInt(3) == 0) {
            p.say("{Oublie|A oublié} {ses lunettes chez le coiffeur|le rendez-vous du dentiste|notre passage d'hier|"
                    + "de déjeuner|où elle a rangé son porte-monnaie|le prénom de $visitor}, {retrouvé dans $room|"
                    + "$visitor prévenue|redirigée avec douceur|$complaint}.");
        }
        if (!day.isBefore(t.dementia().plusDays(60)) && random.nextInt(4) == 0) {
            p.say("{Change complet|Protection changée}, {fuites urinaires|incontinence urinaire} {nocturnes|la nuit}"
                    + "{, $clothes changé|, draps changés|, $skin}.");
        }
        if (random.nextInt(60) == 0) {
            p.say(
                    Model.Polarity.GENERIC,
                    "{Rappel affiché au frigo|Fiche de prévention laissée} : les chutes "
                            + "{sont fréquentes|surviennent souvent} après 80 ans{, le plus souvent à domicile|}.");
        }
        p.file(Model.DocKind.NOTE_INFIRMIERE, p.x("{Transmissions|Note IDE|Passage IDE} " + DAY.format(day)));
    }

    /** The days the nurses saw what the timeline says happened: the fall, the bleed, the fever, the low sugar. */
    private void events(Page p, LocalDate day, boolean morning) {
        for (LocalDate fall : t.falls()) {
            long after = ChronoUnit.DAYS.between(fall, day);
            if (after == 0 && morning) {
                p.say("{Retrouvée au sol|Chute} {ce matin|cette nuit} {dans la chambre|près du lit|dans la cuisine}, "
                        + "{relevée|aidée à se relever}{, pas de plaie|, hématome du coude|}.");
            } else if (after > 0 && after < 6 && random.nextInt(2) == 0) {
                p.say("{Suite à la|Depuis la} chute du " + DAY_MONTH.format(fall)
                        + ", {douleur de hanche|appréhension à " + "la marche|hématome en voie de résorption}.");
            }
        }
        if (day.equals(t.bleed()) && morning) {
            p.say(
                    "{Saignement de nez|Épistaxis} {important|abondant} ce matin, épistaxis sous warfarine, {appel du "
                            + "15|médecin prévenu}.",
                    drugs());
        }
        if (day.equals(t.hypoglycemia()) && morning) {
            p.say("{Malaise hypoglycémique|Hypoglycémie} : {GC|dextro} à 0,52 g/L, {resucrage|3 sucres}, contrôle à "
                    + "1,1 g/L.");
        }
        if (day.isBefore(t.pneumonia()) && !day.isBefore(t.pneumonia().minusDays(2))) {
            p.say("{Fébrile|Fièvre} à 38,{4|6|8} °C, toux grasse{, médecin prévenu|}.");
        }
        if (day.isBefore(t.heartFailure()) && !day.isBefore(t.heartFailure().minusDays(3))) {
            p.say("{Essoufflée|Dyspnée} {au moindre effort|en parlant}, {chevilles gonflées|OMI}.");
        }
    }

    private void nurseNegation(Page p, LocalDate day) {
        int draw = random.nextInt(8);
        boolean fellLately = t.falls().stream().anyMatch(f -> !f.isAfter(day) && f.isAfter(day.minusDays(6)));
        if (draw == 0 && !fellLately) {
            p.say(
                    Model.Polarity.NEGATED,
                    "{Pas de chute|Aucune chute|Pas de nouvelle chute} {cette nuit|depuis hier|signalée}"
                            + "{, se déplace avec $aid|, dort dans $furniture|, $equipment en place|}.");
        } else if (draw == 1) {
            p.say(
                    Model.Polarity.NEGATED,
                    "{Pas d'escarre|Pas de rougeur aux talons, pas d'escarre}{, $skin|, $equipment "
                            + "{vérifié|en place}|}.");
        } else if (draw == 2 && !day.isBefore(t.af()) && !day.equals(t.bleed())) {
            String drug = java.util.Objects.requireNonNull(t.anticoagulant(day));
            p.say(
                    Model.Polarity.NEGATED,
                    "{Pas de saignement sous " + drug + "|Aucun saignement sous " + drug + "}"
                            + "{, gencives propres|, $skin|}.",
                    drugs());
        } else if (draw == 3 && !day.isBefore(t.insulin()) && !day.equals(t.hypoglycemia())) {
            p.say(
                    Model.Polarity.NEGATED,
                    "{Pas d'hypoglycémie|Pas de malaise hypoglycémique} {cette nuit|ressentie}{, a pris "
                            + "$drink au coucher|, collation : $dessert|}.");
        }
    }

    private void surveillance(String nurse, LocalDateTime at, int week) {
        Page p = new Page(nurse, at);
        LocalDate day = p.day();
        p.heading("{Fiche de surveillance|Relevé de surveillance|Surveillance hebdomadaire} — semaine du $date");
        double now = s.weight(day, random.nextGaussian() * 0.2);
        s.measure(at, "29463-7", "Poids", now, "kg", "kg", "vital-signs", null, null);
        StringBuilder series = new StringBuilder(p.x("{Poids (kg)|Poids|Pesées} : "));
        for (int month = 6; month >= 1; month--) {
            LocalDate then = day.minusMonths(month);
            series.append(DAY_MONTH.format(then))
                    .append(' ')
                    .append(number(s.weight(then, 0)))
                    .append("  ");
        }
        series.append(DAY_MONTH.format(day)).append(' ').append(number(now));
        double sixMonthsAgo = s.weight(day.minusMonths(6), 0);
        if ((sixMonthsAgo - now) / sixMonthsAgo >= 0.05) {
            p.fact(
                    series.toString(),
                    new Model.Mention("perte_poids", Model.Polarity.AFFIRMED, Model.Evidence.NUMBERS));
        } else {
            p.fact(series.toString());
        }
        StringBuilder glycemias = new StringBuilder(p.x("{Glycémies du matin|GC à jeun} : "));
        for (int i = 0; i < 7; i++) {
            glycemias.append(i == 0 ? "" : " / ").append(number(0.9 + random.nextInt(120) / 100.0));
        }
        p.fact(glycemias.toString());
        p.fact(vitals(p, 0));
        p.fact(p.x("{IDE |}") + initials(nurse) + (week % 4 == 0 ? p.x("{, relevé faxé au médecin traitant|}") : ""));
        p.file(Model.DocKind.SURVEILLANCE, "Relevé de surveillance — " + DAY.format(day));
    }

    private String initials(String key) {
        Model.Professional p = s.professional(key);
        return random.nextInt(3) == 0
                ? p.given() + " " + p.family()
                : p.given().charAt(0) + "." + p.family().charAt(0) + ".";
    }

    // --- physiotherapy --------------------------------------------------------------------------------------------

    private void physiotherapy() {
        LocalDate start = t.stroke().plusDays(12);
        int session = 0;
        for (LocalDate day = start; day.isBefore(start.plusDays(90)); day = day.plusDays(2 + random.nextInt(2))) {
            physio(day.atTime(14, random.nextInt(60)), ++session, session == 1);
        }
        session = 0;
        for (LocalDate day = t.falls().get(0).plusDays(10);
                day.isBefore(t.today());
                day = day.plusDays(2 + random.nextInt(2))) {
            if (s.inHospital(day) == null && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                physio(day.atTime(11 + random.nextInt(5), random.nextInt(60)), ++session, session == 1);
            }
        }
    }

    private void physio(LocalDateTime at, int session, boolean assessment) {
        Page p = new Page(s.cast.physiotherapist(), at);
        LocalDate day = p.day();
        p.heading("{Séance|Seance|Kiné} n°" + session + " {du|-} $date{ — |, }" + p.x("{MK |}") + initials(p.author));
        if (assessment) {
            p.say("{Bilan initial|Bilan d'entrée} : {marche instable|troubles de la marche} {après|suite à} "
                    + (day.isBefore(t.falls().get(0))
                            ? "l'AVC du " + date(t.stroke())
                            : "la chute du " + date(t.falls().get(0)))
                    + "{, appui unipodal impossible|, TUG " + (20 + random.nextInt(10)) + " s|}.");
        }
        p.copyForward(0.4, 2);
        for (int i = 0; i < 2 + random.nextInt(2); i++) {
            p.say(
                    "{Travail|Exercices|Séance axée sur} {: |de |}$exercise{, $exercise2|}{ ({3|4|5} séries de {8|10|12})|}.");
        }
        p.say("{Périmètre de marche|Marche} {de|:} " + (20 + random.nextInt(180))
                + " m {avec|sous couvert de} $aid{, {2|3} pauses|, sans pause|}{, $weather dehors| dans $room|}.");
        p.say("{EVA|Douleur} " + random.nextInt(6) + "/10{ au genou| à l'épaule droite| lombaire|}, $symptom"
                + "{, $otc conseillé|, à signaler au médecin|}.");
        p.say("{Patiente|Mme $nom} {$mood|motivée|fatiguée aujourd'hui|participe bien}{, $complaint|, parle de $news|"
                + ", en $clothes|}{, séance faite dans $room|}.");
        p.say("{Consignes|Auto-exercices|Programme à domicile} : $exercise{ et $exercise2|}{, {2|3} fois par jour|"
                + ", avec $visitor|}{, $equipment {à prévoir|en place}|}.");
        List<LocalDate> falls = t.fallsBefore(day.plusDays(1));
        if (!falls.isEmpty() && ChronoUnit.DAYS.between(falls.get(falls.size() - 1), day) < 20) {
            p.say("{Reprise après la|Suite de la} chute du " + DAY_MONTH.format(falls.get(falls.size() - 1))
                    + "{, appréhension|, travail du relevé du sol|}.");
        } else if (!falls.isEmpty() && random.nextInt(5) == 0) {
            p.say(Model.Polarity.NEGATED, "{Pas de nouvelle chute|Pas de chute} depuis la dernière séance.");
        }
        p.file(Model.DocKind.KINESITHERAPIE, "Séance de kinésithérapie — " + DAY.format(day));
    }

    // --- pharmacy ------------------------------------------------------------------------------------------------

    private void pharmacy() {
        for (LocalDate day = t.start().plusDays(5);
                day.isBefore(t.today());
                day = day.plusDays(28 + random.nextInt(5))) {
            if (s.inHospital(day) != null) {
                continue;
            }
            Page p = new Page(s.cast.pharmacist(), day.atTime(10 + random.nextInt(8), random.nextInt(60)));
            p.heading("{Dispensation|Délivrance} du $date");
            for (Model.Medication m : s.medicationsOn(day)) {
                String line = m.name() + p.x("{ x {1|2|3} boîte{s|}| — {1|3} mois|}{ (générique)| (substitué)|}");
                if (m.atc().startsWith("B01A")) {
                    p.fact(line, drugs());
                } else {
                    p.fact(line);
                }
            }
            if (random.nextInt(3) == 0) {
                p.say(
                        "{Conseil|Conseils donnés} : {$otc|prise au cours du repas|rangement du pilulier hors de portée}.");
            }
            if (!t.warfarin().plusDays(100).isAfter(day)
                    && t.warfarin().plusDays(135).isAfter(day)) {
                p.say(
                        "{Interaction médicamenteuse|Association contre-indiquée} : warfarine et miconazole gel buccal, "
                                + "{médecin appelé|prescripteur contacté}, miconazole non délivré.",
                        drugs());
            }
            if (t.anticoagulant(day) != null && random.nextInt(8) == 0) {
                p.say(
                        Model.Polarity.GENERIC,
                        "{Fiche remise|Rappel} : tout saignement sous anticoagulant doit faire " + "consulter.");
            }
            p.fact(p.signature() + p.x("{, pharmacien|, docteur en pharmacie|}"));
            p.file(Model.DocKind.DISPENSATION, "Dispensation — " + DAY.format(day));
        }
    }

    // --- small helpers ---------------------------------------------------------------------------------------------

    private <T> List<T> sample(List<T> pool, int count) {
        List<T> copy = new ArrayList<>(pool);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < count && !copy.isEmpty(); i++) {
            out.add(copy.remove(random.nextInt(copy.size())));
        }
        return out;
    }

    private static String upper(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}
