package org.carnet.audit;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;

/**
 * The holder's trail in plain French: "Dr Philippe Moreau, médecin généraliste, a consulté 3 documents le 12/03 à
 * 14:05". Times are shown in Europe/Paris.
 */
final class TrailText {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("'le' dd/MM/yyyy 'à' HH:mm", Locale.FRANCE);
    private static final Map<String, String> PROFESSIONS = Map.of(
            "10",
            "médecin",
            "21",
            "pharmacien",
            "40",
            "chirurgien-dentiste",
            "50",
            "sage-femme",
            "60",
            "infirmier",
            "70",
            "masseur-kinésithérapeute");
    private static final Map<String, String> SPECIALTIES = Map.of(
            "SM54", "médecin généraliste", "SM26", "médecin urgentiste", "SM42", "psychiatre", "SM04", "cardiologue");
    private static final Map<String, String> VERBS = Map.ofEntries(
            Map.entry("read", "a consulté"),
            Map.entry("vread", "a consulté"),
            Map.entry("search-type", "a consulté"),
            Map.entry("history-instance", "a consulté l'historique de"),
            Map.entry("history-type", "a consulté l'historique de"),
            Map.entry("everything", "a consulté"),
            Map.entry("create", "a ajouté"),
            Map.entry("update", "a modifié"),
            Map.entry("patch", "a modifié"),
            Map.entry("delete", "a supprimé"),
            Map.entry("transaction", "a enregistré"));

    /** The holder's controls (docs/access.md): each changes the rules of access to the record. */
    static final java.util.Set<String> RULE_CHANGES = java.util.Set.of(
            "designate-traitant",
            "add-care-team",
            "authorise",
            "revoke",
            "object",
            "withdraw-objection",
            "block",
            "unblock",
            "refuse-mode",
            "allow-mode");

    private TrailText() {}

    static String profession(String code, @org.jspecify.annotations.Nullable String specialty) {
        if ("10".equals(code) && specialty != null && SPECIALTIES.containsKey(specialty)) {
            return SPECIALTIES.get(specialty);
        }
        return PROFESSIONS.getOrDefault(code, "professionnel de santé");
    }

    static String of(AuditEvent event) {
        AuditEvent.AuditEventAgentComponent agent = event.getAgentFirstRep();
        String who = agent.getName() == null || agent.getName().isBlank() ? "Quelqu'un" : agent.getName();
        if (agent.hasRole()) {
            who += ", " + agent.getRoleFirstRep().getText() + ",";
        }
        String interaction = event.getSubtypeFirstRep().getCode();
        String when = WHEN.format(event.getRecorded().toInstant().atZone(PARIS));
        int count = Integer.parseInt(event.getMeta().getTag().stream()
                .filter(t -> t.getSystem().endsWith("-count"))
                .map(Coding::getCode)
                .findFirst()
                .orElse("0"));
        if (RULE_CHANGES.contains(interaction)) {
            interaction = "consent";
        }
        String text = switch (interaction) {
            case "consent" -> who + " a modifié les règles d'accès au dossier (" + detail(event) + ") " + when;
            case "sign-in" -> who + " s'est connecté " + when;
            case "merge" -> who + " a fusionné deux dossiers en double " + when;
            case "unmerge" -> who + " a annulé la fusion de deux dossiers " + when;
            case "mask" -> who + " a masqué un document aux professionnels " + when;
            case "unmask" -> who + " a rendu un document visible aux professionnels " + when;
            case "trail" -> who + " a consulté la trace des accès au dossier " + when;
            case "notifications" -> who + " a consulté ses notifications " + when;
            case "verify-trail" -> who + " a vérifié l'intégrité de la trace " + when;
            case "access-rules" -> who + " a consulté les règles d'accès au dossier " + when;
            default ->
                who + " " + VERBS.getOrDefault(interaction, "a utilisé « " + interaction + " » sur") + " "
                        + what(event, count) + " " + when;
        };
        String mode = event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode();
        if ("bris-de-glace".equals(mode)) {
            text += ", en accès d'urgence (bris de glace), motif : « "
                    + event.getPurposeOfEventFirstRep().getText() + " »";
        } else if ("centre-15".equals(mode)) {
            text += ", en régulation (centre 15), motif : « "
                    + event.getPurposeOfEventFirstRep().getText() + " »";
        }
        if (event.getOutcome() != AuditEvent.AuditEventOutcome._0) {
            text += " (refusé)";
        }
        return text;
    }

    private static String what(AuditEvent event, int count) {
        List<String> types = event.getEntity().stream()
                .filter(e -> e.hasWhat()
                        && e.getWhat().getReference() != null
                        && !e.getRole().hasCode())
                .map(e -> e.getWhat().getReference().split("/")[0])
                .distinct()
                .toList();
        if (count == 0) {
            return "le dossier (aucun élément trouvé)";
        }
        if (types.equals(List.of("DocumentReference"))) {
            return count == 1 ? "1 document" : count + " documents";
        }
        return count == 1 ? "1 élément du dossier" : count + " éléments du dossier";
    }

    private static String detail(AuditEvent event) {
        return event.getEntity().stream()
                .map(AuditEvent.AuditEventEntityComponent::getDescription)
                .filter(d -> d != null)
                .findFirst()
                .orElse("");
    }
}
