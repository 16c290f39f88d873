package org.carnet.identity;

import java.util.List;
import java.util.Optional;

/**
 * An INSi answer: {@code 00} exactly one identity (with its matricule, OID and reference traits), {@code 01}
 * none, {@code 02} several (the caller refines the query: full first-name list, then birthplace).
 */
public record InsiAnswer(Code code, Optional<InsiIdentity> identity) {

    public enum Code {
        ONE("00"),
        NONE("01"),
        SEVERAL("02");

        public final String value;

        Code(String value) {
            this.value = value;
        }
    }

    public InsiAnswer {
        if ((code == Code.ONE) != identity.isPresent()) {
            throw new IllegalArgumentException("An INSi answer carries an identity if and only if its code is 00");
        }
    }

    public static InsiAnswer one(InsiIdentity identity) {
        return new InsiAnswer(Code.ONE, Optional.of(identity));
    }

    public static InsiAnswer none() {
        return new InsiAnswer(Code.NONE, Optional.empty());
    }

    public static InsiAnswer several() {
        return new InsiAnswer(Code.SEVERAL, Optional.empty());
    }

    /** An identity as INSi returns it: the INS and the reference traits to copy into the local record. */
    public record InsiIdentity(
            Ins ins, String birthName, List<String> firstNames, String sex, String birthDate, String birthPlace) {

        public InsiIdentity {
            firstNames = List.copyOf(firstNames);
        }
    }
}
