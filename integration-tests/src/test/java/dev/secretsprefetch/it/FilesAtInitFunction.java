// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.io.IOException;

/**
 * The Ruby function of {@link FilesAtInitIT} and {@link RuntimeStartBenchmark}: no client, it reads the files
 * {@code db.txt} and {@code api-key.txt} at the end of its init ({@code files_at_init_handler.rb}), the layer
 * configured with a file for every secret of the testbed.
 */
final class FilesAtInitFunction {

    static final String FILES = "db.txt,api-key.txt";

    private FilesAtInitFunction() {
    }

    /**
     * @param settings JSON members before {@code "secrets"}, each followed by a comma, e.g.
     *     {@code "runtimeStart": "afterSecrets", }
     * @param initWorkMs CPU work before the init reads the files, standing for the rest of an init
     */
    static LambdaFunction build(Testbed testbed, String name, boolean withLayer, String settings, int initWorkMs)
            throws IOException {
        LambdaFunction.Builder builder = testbed.ruby(name, "files_at_init_handler.handler", withLayer)
                .taskDirectory(TestLayers.resource("files_at_init_handler.rb").getParent())
                .environment("FILES", FILES)
                .environment("INIT_WORK_MS", Integer.toString(initWorkMs));
        if (!withLayer) {
            return builder.build();
        }
        StringBuilder json = new StringBuilder("{").append(settings).append("\"secrets\": [");
        for (String id : testbed.secretIds()) {
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ", ").append("{\"name\": \"")
                    .append(Testbed.nameOf(id)).append("\", \"secretId\": \"").append(id).append("\", \"file\": \"")
                    .append(Testbed.nameOf(id)).append(".txt\"}");
        }
        return testbed.withConfigFile(builder, json.append("]}").toString()).build();
    }
}
