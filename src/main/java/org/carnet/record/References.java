package org.carnet.record;

import java.util.Optional;
import java.util.regex.Pattern;

/** Parses the references Carnet resolves itself: relative {@code Type/id}, optionally with {@code /_history/n}. */
public final class References {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /** A resolved local reference. */
    public record Local(String type, String id) {

        @Override
        public String toString() {
            return type + "/" + id;
        }
    }

    private References() {}

    /**
     * The local target of a reference, or empty for references Carnet does not resolve (contained {@code #x},
     * absolute URLs, {@code urn:} values).
     */
    public static Optional<Local> parseLocal(String reference) {
        if (reference == null || reference.startsWith("#") || reference.contains(":")) {
            return Optional.empty();
        }
        String[] parts = reference.split("/");
        if ((parts.length == 2 || (parts.length == 4 && "_history".equals(parts[2])))
                && SupportedTypes.isSupported(parts[0])
                && ID.matcher(parts[1]).matches()) {
            return Optional.of(new Local(parts[0], parts[1]));
        }
        return Optional.empty();
    }

    /** True when the value has the shape of a valid FHIR logical id. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
