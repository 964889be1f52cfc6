# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "socket"

# A loopback HTTP server that answers each request with the next canned response (the last one repeats)
# and records what it was sent: the network faked, not the code under test.
class CannedServer
  Request = Struct.new(:method, :path, :headers, :body, keyword_init: true)
  # +hang+: read the request, never answer (the client's read timeout must end it).
  Response = Struct.new(:status, :body, :headers, :hang, keyword_init: true)

  attr_reader :requests

  def self.json(status, doc) = Response.new(status: status, body: JSON.generate(doc))

  def initialize(*responses)
    @responses = responses
    @requests = Queue.new
    @server = TCPServer.new("127.0.0.1", 0)
    @connections = []
    @thread = Thread.new { loop { serve(@server.accept) } }
  end

  def endpoint = "http://127.0.0.1:#{@server.addr[1]}"

  def received
    list = []
    list << @requests.pop until @requests.empty?
    list
  end

  def close
    @thread.kill
    @server.close
    @connections.each(&:kill)
  end

  private

  def serve(socket)
    response = @responses.size > 1 ? @responses.shift : @responses.first
    @connections << Thread.new do
      @requests << read_request(socket)
      if response.hang
        socket.read # until the client gives up and closes
      else
        extra = (response.headers || {}).map { |k, v| "#{k}: #{v}\r\n" }.join
        socket.write("HTTP/1.1 #{response.status} Canned\r\nContent-Type: application/x-amz-json-1.1\r\n#{extra}" \
                     "Content-Length: #{response.body.bytesize}\r\nConnection: close\r\n\r\n#{response.body}")
      end
    ensure
      socket.close
    end
  end

  def read_request(socket)
    method, path = socket.gets.split
    headers = {}
    while (line = socket.gets) && line != "\r\n"
      key, value = line.split(":", 2)
      headers[key.downcase] = value.strip
    end
    Request.new(method: method, path: path, headers: headers, body: socket.read(headers["content-length"].to_i))
  end
end
