# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "net/http"
require "uri"
require "secrets_prefetch/aws_config"

# The IAM identities of a moto server that verifies signatures, created through the requests it lets through
# unauthenticated (INITIAL_NO_AUTH_ACTION_COUNT = MotoServer::BOOTSTRAP_REQUESTS): plain form POSTs of the
# IAM and STS query APIs. The Ruby twin of MotoIdentities.java in client-java's test support.
class MotoIdentities
  NAME = "secrets-prefetch-tests"
  SECRETS_MANAGER_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*",' \
                           '"Resource":"*"}]}'
  TRUST_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",' \
                 '"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
  Credentials = SecretsPrefetch::AwsConfig::Credentials

  attr_reader :user, :session

  def initialize(user, session)
    @user = user
    @session = session
  end

  # Creates the user (key, inline policy) and the role (same policy), assumes the role, and checks that moto
  # authenticates from then on.
  def self.create(endpoint)
    call(endpoint, "iam", "CreateUser", "UserName" => NAME)
    keys = call(endpoint, "iam", "CreateAccessKey", "UserName" => NAME)
    call(endpoint, "iam", "PutUserPolicy", "UserName" => NAME, "PolicyName" => "secretsmanager",
                                           "PolicyDocument" => SECRETS_MANAGER_POLICY)
    role = call(endpoint, "iam", "CreateRole", "RoleName" => NAME, "AssumeRolePolicyDocument" => TRUST_POLICY)
    call(endpoint, "iam", "PutRolePolicy", "RoleName" => NAME, "PolicyName" => "secretsmanager",
                                           "PolicyDocument" => SECRETS_MANAGER_POLICY)
    session = call(endpoint, "sts", "AssumeRole", "RoleArn" => element(role, "Arn"), "RoleSessionName" => NAME,
                                                  "DurationSeconds" => "3600")
    require_authentication(endpoint)
    new(credentials(keys), credentials(session, token: true))
  end

  def self.credentials(xml, token: false)
    Credentials.new(access_key_id: element(xml, "AccessKeyId"), secret_access_key: element(xml, "SecretAccessKey"),
                    session_token: token ? element(xml, "SessionToken") : nil).freeze
  end

  def self.require_authentication(endpoint)
    response = post(endpoint, "iam", "GetUser", "UserName" => NAME)
    return if response.code == "403" && response.body.include?("InvalidClientTokenId")

    raise "moto does not authenticate requests after the first #{MotoServer::BOOTSTRAP_REQUESTS} " \
          "(INITIAL_NO_AUTH_ACTION_COUNT): an unauthenticated GetUser got HTTP #{response.code}"
  end

  def self.call(endpoint, service, action, params)
    response = post(endpoint, service, action, params)
    return response.body if response.code == "200"

    raise "moto refused #{service}:#{action} while creating the test identities: HTTP #{response.code}\n" \
          "#{response.body}"
  end

  def self.post(endpoint, service, action, params)
    uri = URI(endpoint)
    form = { "Action" => action, "Version" => action == "AssumeRole" ? "2011-06-15" : "2010-05-08" }.merge(params)
    # moto routes a request to a service by the credential scope of its Authorization header; these requests
    # are let through unchecked, so the rest of the header is a placeholder.
    headers = { "content-type" => "application/x-www-form-urlencoded; charset=utf-8",
                "authorization" => "AWS4-HMAC-SHA256 Credential=bootstrap/20250101/us-east-1/#{service}/" \
                                   "aws4_request, SignedHeaders=host, Signature=unchecked" }
    Net::HTTP.start(uri.host, uri.port) { |http| http.post("/", URI.encode_www_form(form), headers) }
  end

  def self.element(xml, name)
    xml[%r{<#{name}>([^<]+)</#{name}>}, 1] or raise "moto's answer has no <#{name}>:\n#{xml}"
  end
end
