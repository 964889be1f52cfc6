// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

/**
 * An error as the Lambda service reports it: a type such as {@code Extension.Crash} or
 * {@code Runtime.ExitError}, and a message.
 *
 * @param type the error type
 * @param message what happened, naming the process or call that failed
 */
record LambdaError(String type, String message) {

    @Override
    public String toString() {
        return type + ": " + message;
    }
}
