package org.carnet.search;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.carnet.record.Visibility;

/**
 * Signals that live in numbers, not words: « perte de poids » also asks whether the weights fell by 5 % or more
 * within six months, « insuffisance rénale » whether the eGFR fell under 60 or by a quarter, « anémie » whether a
 * haemoglobin was under 12 g/dL. Each is labelled as derived and shows the values behind it; the values come from
 * the index under the caller's visibility, like every hit.
 */
final class Signals {

    /** Body weight (LOINC). */
    static final Set<String> WEIGHT = Set.of("29463-7", "3141-9");

    /** Estimated glomerular filtration rate (LOINC, the usual equations). */
    static final Set<String> EGFR = Set.of("62238-1", "33914-3", "48642-3", "48643-1", "77147-7", "98979-8");

    /** Haemoglobin in blood (LOINC). */
    static final Set<String> HAEMOGLOBIN = Set.of("718-7", "30313-1", "59260-0");

    /** Words (normalised) that ask for each signal. */
    private static final Set<String> WEIGHT_WORDS =
            Set.of("perte de poids", "amaigrissement", "denutrition", "amaigri", "amaigrie", "poids", "cachexie");

    private static final Set<String> RENAL_WORDS = Set.of(
            "insuffisance renale", "irc", "ir", "dfg", "debit de filtration glomerulaire", "nephropathie", "clairance");
    private static final Set<String> ANAEMIA_WORDS = Set.of("anemie", "hemoglobine", "anemique", "hb");

    private Signals() {}

    static List<SearchResults.Signal> derive(
            ClinicalQuery.Term term,
            SearchEngine engine,
            String patientId,
            Visibility visibility,
            SearchRequest request) {
        String asked =
                ClinicalAnalysis.normalise(term.text()).replaceAll("\\s+", " ").strip();
        List<SearchResults.Signal> signals = new ArrayList<>();
        if (WEIGHT_WORDS.contains(asked)) {
            weightLoss(term, within(engine.measures(patientId, WEIGHT, visibility), request), signals);
        }
        if (RENAL_WORDS.contains(asked)) {
            fallingEgfr(term, within(engine.measures(patientId, EGFR, visibility), request), signals);
        }
        if (ANAEMIA_WORDS.contains(asked)) {
            lowHaemoglobin(term, within(engine.measures(patientId, HAEMOGLOBIN, visibility), request), signals);
        }
        return signals;
    }

    /** The words that documents reporting a signal's values use. */
    static List<String> evidenceWords(SearchResults.Signal signal) {
        return switch (signal.kind()) {
            case "weight-loss" -> List.of("poids", "pesée");
            case "falling-egfr" -> List.of("DFG", "clairance");
            case "low-haemoglobin" -> List.of("hémoglobine");
            default -> List.of();
        };
    }

    /**
     * The days of the documents reporting a signal's values: the whole span of a trend (weights, eGFR), each low
     * value's own day otherwise.
     */
    static List<LocalDate[]> evidenceDays(SearchResults.Signal signal) {
        List<SearchResults.Value> values = signal.values();
        if (values.isEmpty()) {
            return List.of();
        }
        if (signal.kind().equals("low-haemoglobin")) {
            return values.stream()
                    .map(v -> new LocalDate[] {LocalDate.parse(v.date()), LocalDate.parse(v.date())})
                    .toList();
        }
        return List.<LocalDate[]>of(new LocalDate[] {
            LocalDate.parse(values.getFirst().date()),
            LocalDate.parse(values.getLast().date())
        });
    }

    private static List<SearchResults.Value> within(List<SearchResults.Value> values, SearchRequest request) {
        LocalDate since = request.since();
        LocalDate until = request.until();
        return values.stream()
                .filter(v -> since == null || !LocalDate.parse(v.date()).isBefore(since))
                .filter(v -> until == null || !LocalDate.parse(v.date()).isAfter(until))
                .toList();
    }

    /** The largest fall from a weight to a later one within 183 days, when it is 5 % or more. */
    static void weightLoss(ClinicalQuery.Term term, List<SearchResults.Value> weights, List<SearchResults.Signal> out) {
        SearchResults.Value bestFrom = null;
        SearchResults.Value bestTo = null;
        double bestDrop = 0.05;
        for (int i = 0; i < weights.size(); i++) {
            SearchResults.Value from = weights.get(i);
            LocalDate limit = LocalDate.parse(from.date()).plusDays(183);
            for (int j = i + 1; j < weights.size(); j++) {
                SearchResults.Value to = weights.get(j);
                if (LocalDate.parse(to.date()).isAfter(limit)) {
                    break;
                }
                double drop = (from.value() - to.value()) / from.value();
                if (from.value() > 0 && drop >= bestDrop) {
                    bestDrop = drop;
                    bestFrom = from;
                    bestTo = to;
                }
            }
        }
        if (bestFrom != null && bestTo != null) {
            out.add(new SearchResults.Signal(
                    term.shown(),
                    "weight-loss",
                    String.format(
                            Locale.FRANCE,
                            "Signal dérivé des mesures : poids %s → %s %s (−%.1f %%) entre le %s et le %s",
                            number(bestFrom.value()),
                            number(bestTo.value()),
                            bestTo.unit(),
                            bestDrop * 100,
                            bestFrom.date(),
                            bestTo.date()),
                    between(weights, bestFrom, bestTo)));
        }
    }

    /** The eGFR under 60 in its last value, or fallen by a quarter from its best. */
    static void fallingEgfr(ClinicalQuery.Term term, List<SearchResults.Value> values, List<SearchResults.Signal> out) {
        if (values.size() < 2) {
            return;
        }
        SearchResults.Value best = values.getFirst();
        for (SearchResults.Value v : values) {
            if (v.value() > best.value()) {
                best = v;
            }
        }
        SearchResults.Value last = values.getLast();
        if (last.date().compareTo(best.date()) > 0
                && (last.value() < 60 || last.value() <= best.value() * 0.75)
                && last.value() < best.value()) {
            out.add(new SearchResults.Signal(
                    term.shown(),
                    "falling-egfr",
                    String.format(
                            Locale.FRANCE,
                            "Signal dérivé des mesures : DFG %s → %s %s entre le %s et le %s",
                            number(best.value()),
                            number(last.value()),
                            last.unit(),
                            best.date(),
                            last.date()),
                    between(values, best, last)));
        }
    }

    /** Haemoglobin results under 12 g/dL (120 g/L). */
    static void lowHaemoglobin(
            ClinicalQuery.Term term, List<SearchResults.Value> values, List<SearchResults.Signal> out) {
        List<SearchResults.Value> low = values.stream()
                .filter(v -> v.unit().toLowerCase(Locale.ROOT).contains("g/l")
                                && !v.unit().contains("dL")
                        ? v.value() < 120
                        : v.value() < 12)
                .toList();
        if (!low.isEmpty()) {
            SearchResults.Value lowest = low.stream()
                    .min(java.util.Comparator.comparingDouble(SearchResults.Value::value))
                    .orElseThrow();
            out.add(new SearchResults.Signal(
                    term.shown(),
                    "low-haemoglobin",
                    String.format(
                            Locale.FRANCE,
                            "Signal dérivé des mesures : hémoglobine basse %d fois, au plus bas %s %s le %s",
                            low.size(),
                            number(lowest.value()),
                            lowest.unit(),
                            lowest.date()),
                    low));
        }
    }

    private static List<SearchResults.Value> between(
            List<SearchResults.Value> values, SearchResults.Value from, SearchResults.Value to) {
        return values.stream()
                .filter(v -> v.date().compareTo(from.date()) >= 0 && v.date().compareTo(to.date()) <= 0)
                .toList();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.FRANCE, "%.1f", value);
    }
}
