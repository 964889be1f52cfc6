// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

/** The baseline of the first-get benchmark: a JVM that starts, prints a line and exits. */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
