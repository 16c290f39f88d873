package org.carnet.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ground truth for search evaluation: for each query, the documents that truly answer it (the concept affirmed
 * about the patient, in words, in numbers or by a drug's name) and those that only mention it negated, for a family
 * member, as a hypothesis or about patients in general — which a good search engine ranks below, or leaves out.
 * The file's format is described in {@code docs/judgments.md}.
 */
final class Judgments {

    /** The query answered only by drug lists: no catalogued surface form, the drugs' names are the evidence. */
    static final String ANTICOAGULANT = "anticoagulant";

    /** A document that answers the query, and what in it does. */
    record Relevant(String id, Model.Evidence answeredBy) {}

    /** A document that mentions the concept without answering the query, and why. */
    record NotRelevant(String id, Model.Polarity why) {}

    /**
     * @param answeredBy what carries the answer in the relevant documents (text, numbers, drugs), in that order
     */
    record Query(
            String query,
            String concept,
            Set<Model.Evidence> answeredBy,
            List<Relevant> relevant,
            List<NotRelevant> notRelevant) {

        List<String> relevantIds() {
            return relevant.stream().map(Relevant::id).toList();
        }
    }

    private Judgments() {}

    static List<Query> of(Model.PatientRecord record) {
        List<Query> queries = new ArrayList<>();
        for (String concept : Stream.concat(Concepts.keys().stream(), Stream.of(ANTICOAGULANT))
                .toList()) {
            List<Relevant> relevant = new ArrayList<>();
            List<NotRelevant> notRelevant = new ArrayList<>();
            Set<Model.Evidence> answeredBy = EnumSet.noneOf(Model.Evidence.class);
            for (Model.Document document : record.documents()) {
                Model.Evidence affirmed = null;
                Model.Polarity other = null;
                for (Model.Mention mention : document.mentions()) {
                    if (!mention.concept().equals(concept)) {
                        continue;
                    }
                    if (mention.polarity() == Model.Polarity.AFFIRMED) {
                        if (affirmed == null || mention.evidence().ordinal() < affirmed.ordinal()) {
                            affirmed = mention.evidence();
                        }
                    } else if (other == null) {
                        other = mention.polarity();
                    }
                }
                if (affirmed != null) {
                    relevant.add(new Relevant(document.uniqueId(), affirmed));
                    answeredBy.add(affirmed);
                } else if (other != null) {
                    notRelevant.add(new NotRelevant(document.uniqueId(), other));
                }
            }
            if (!relevant.isEmpty() || !notRelevant.isEmpty()) {
                queries.add(new Query(
                        concept.equals(ANTICOAGULANT) ? ANTICOAGULANT : Concepts.query(concept),
                        concept,
                        answeredBy,
                        List.copyOf(relevant),
                        List.copyOf(notRelevant)));
            }
        }
        return queries;
    }

    static String toJson(String patientKey, String patientId, List<Query> queries) {
        StringBuilder json = new StringBuilder("{\n  \"format\": \"carnet-judgments/2\",\n  \"patient\": \"")
                .append(patientKey)
                .append("\",\n  \"patientId\": \"")
                .append(patientId)
                .append(
                        "\",\n  \"ids\": \"DocumentReference.masterIdentifier (urn:oid:<id>) = the document's uniqueId\",")
                .append("\n  \"queries\": [");
        for (int q = 0; q < queries.size(); q++) {
            Query query = queries.get(q);
            json.append(q == 0 ? "\n" : ",\n")
                    .append("    {\"query\": \"")
                    .append(query.query())
                    .append("\", \"concept\": \"")
                    .append(query.concept())
                    .append("\", \"answeredBy\": [");
            int e = 0;
            for (Model.Evidence evidence : query.answeredBy()) {
                json.append(e++ == 0 ? "" : ", ")
                        .append('"')
                        .append(name(evidence))
                        .append('"');
            }
            json.append("],\n     \"relevant\": [");
            for (int i = 0; i < query.relevant().size(); i++) {
                Relevant r = query.relevant().get(i);
                json.append(i == 0 ? "" : ", ")
                        .append("{\"id\": \"")
                        .append(r.id())
                        .append("\", \"answeredBy\": \"")
                        .append(name(r.answeredBy()))
                        .append("\"}");
            }
            json.append("],\n     \"notRelevant\": [");
            for (int i = 0; i < query.notRelevant().size(); i++) {
                NotRelevant n = query.notRelevant().get(i);
                json.append(i == 0 ? "" : ", ")
                        .append("{\"id\": \"")
                        .append(n.id())
                        .append("\", \"why\": \"")
                        .append(name(n.why()))
                        .append("\"}");
            }
            json.append("]}");
        }
        return json.append("\n  ]\n}\n").toString();
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
