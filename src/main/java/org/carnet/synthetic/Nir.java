package org.carnet.synthetic;

/**
 * The NIR key: 97 − (N mod 97), N being the 13-character body read as a number once the Corsican
 * départements {@code 2A} and {@code 2B} are replaced by {@code 19} and {@code 18}.
 */
final class Nir {

    private Nir() {}

    static String key(String body) {
        if (body.length() != 13) {
            throw new IllegalArgumentException("A NIR body has 13 characters, not " + body.length());
        }
        String digits = body.substring(0, 5) + body.substring(5, 7).replace("2A", "19").replace("2B", "18")
                + body.substring(7);
        long n = Long.parseLong(digits);
        return String.format("%02d", 97 - (n % 97));
    }

    static String withKey(String body) {
        return body + key(body);
    }
}
