package org.carnet.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * Ground truth for search evaluation: for each concept's French query, the documents that truly answer it
 * (the concept affirmed about the patient) and those that only mention it negated, for a family member or as a
 * hypothesis — which a good search engine ranks below, or leaves out.
 */
final class Judgments {

    /** A document that mentions the concept without answering the query, and why. */
    record NotRelevant(String id, Model.Polarity why) {}

    record Query(String query, String concept, List<String> relevant, List<NotRelevant> notRelevant) {}

    private Judgments() {}

    static List<Query> of(Model.PatientRecord record) {
        List<Query> queries = new ArrayList<>();
        for (String concept : Concepts.keys()) {
            List<String> relevant = new ArrayList<>();
            List<NotRelevant> notRelevant = new ArrayList<>();
            for (Model.Document document : record.documents()) {
                boolean affirmed = false;
                Model.Polarity other = null;
                for (Model.Mention mention : document.mentions()) {
                    if (mention.concept().equals(concept)) {
                        if (mention.polarity() == Model.Polarity.AFFIRMED) {
                            affirmed = true;
                        } else if (other == null) {
                            other = mention.polarity();
                        }
                    }
                }
                if (affirmed) {
                    relevant.add(document.uniqueId());
                } else if (other != null) {
                    notRelevant.add(new NotRelevant(document.uniqueId(), other));
                }
            }
            queries.add(new Query(Concepts.query(concept), concept, List.copyOf(relevant), List.copyOf(notRelevant)));
        }
        return queries;
    }

    static String toJson(String patientKey, String patientId, List<Query> queries) {
        StringBuilder json = new StringBuilder("{\n  \"patient\": \"")
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
                    .append("\",\n     \"relevant\": [");
            for (int i = 0; i < query.relevant().size(); i++) {
                json.append(i == 0 ? "" : ", ")
                        .append('"')
                        .append(query.relevant().get(i))
                        .append('"');
            }
            json.append("],\n     \"notRelevant\": [");
            for (int i = 0; i < query.notRelevant().size(); i++) {
                NotRelevant n = query.notRelevant().get(i);
                json.append(i == 0 ? "" : ", ")
                        .append("{\"id\": \"")
                        .append(n.id())
                        .append("\", \"why\": \"")
                        .append(n.why().name().toLowerCase(java.util.Locale.ROOT))
                        .append("\"}");
            }
            json.append("]}");
        }
        return json.append("\n  ]\n}\n").toString();
    }
}
