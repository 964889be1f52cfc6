# SPDX-License-Identifier: Apache-2.0
"""A small Lambda runtime for Python: the Runtime API loop that Lambda's managed Python runtime runs, enough to
run a handler the way it would, with the standard library only. The handler is "module.function" (a function in
$LAMBDA_TASK_ROOT/module.py), called as function(event, context).

Lambda's runtime puts $LAMBDA_TASK_ROOT and /opt/python on sys.path; the simulator does the same through
PYTHONPATH.
"""

import http.client
import importlib
import json
import os
import sys
import time
import traceback

API_PREFIX = "/2018-06-01/runtime"


class Context:
    """What the handler gets as context, with the names Lambda's Python runtime uses."""

    def __init__(self, request_id, function_arn, deadline_ms):
        self.aws_request_id = request_id
        self.invoked_function_arn = function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return self._deadline_ms - int(time.time() * 1000)


class Client:
    """The Runtime API over one kept-alive loopback connection."""

    def __init__(self, host_and_port):
        host, port = host_and_port.split(":")
        # No timeout: GET next blocks until there is an invoke.
        self._http = http.client.HTTPConnection(host, int(port))

    def next_invocation(self):
        self._http.request("GET", API_PREFIX + "/invocation/next")
        response = self._http.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET invocation/next answered {response.status}: {body!r}")
        return response.headers, body

    def respond(self, request_id, body):
        self._post(f"{API_PREFIX}/invocation/{request_id}/response", body, {})

    def report_error(self, path, error_type, document):
        self._post(path, json.dumps(document).encode(), {"Lambda-Runtime-Function-Error-Type": error_type})

    def _post(self, path, body, headers):
        self._http.request("POST", path, body, {"Content-Type": "application/json", **headers})
        response = self._http.getresponse()
        answer = response.read()
        if response.status != 202:
            print(f"POST {path} answered {response.status}: {answer!r}", file=sys.stderr)


def error_document(exception, prefix):
    return {
        "errorMessage": str(exception),
        "errorType": f"{prefix}<{type(exception).__name__}>",
        "stackTrace": traceback.format_tb(exception.__traceback__),
    }


def load_handler(handler):
    module_name, _, function_name = handler.rpartition(".")
    if not module_name or not function_name:
        raise ValueError(f"handler {handler!r} must be module.function")
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(function):
        raise AttributeError(f"{module_name}.py defines no function {function_name}")
    return function


def run():
    client = Client(os.environ["AWS_LAMBDA_RUNTIME_API"])
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except Exception as e:  # init errors of any kind go to Lambda
        document = error_document(e, "Init")
        print(f"Init error: {document['errorType']}: {e}", file=sys.stderr)
        client.report_error(API_PREFIX + "/init/error", document["errorType"], document)
        sys.exit(1)
    while True:
        headers, body = client.next_invocation()
        request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        context = Context(request_id, headers.get("Lambda-Runtime-Invoked-Function-Arn"),
                          int(headers.get("Lambda-Runtime-Deadline-Ms", "0")))
        try:
            event = json.loads(body) if body else None
            client.respond(request_id, json.dumps(handler(event, context)).encode())
        except Exception as e:
            document = error_document(e, "Function")
            print(f"Function error: {document['errorType']}: {e}", file=sys.stderr)
            client.report_error(f"{API_PREFIX}/invocation/{request_id}/error", document["errorType"], document)


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    run()
