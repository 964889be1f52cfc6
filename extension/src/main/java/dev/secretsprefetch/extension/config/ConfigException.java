// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

/**
 * The configuration cannot be used. The message names the source, the key and the fix; it never contains a
 * configuration file's content beyond the offending key or name.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }
}
