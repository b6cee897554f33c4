// Key Vault for the Spaghetti platform: premium SKU (HSM-backed keys), RBAC authorization with least
// privilege, purge protection, the KEK and signing key as RSA-HSM with a rotation policy, and audit
// logs to a Log Analytics workspace. Deploy: scripts/setup-key-vault.sh ENVIRONMENT.
@description('Environment name: dev, staging, prod')
param environment string

@description('Azure region')
param location string = resourceGroup().location

@description('Principal id of the services\' managed identity (managed-identity.bicep output)')
param servicePrincipalId string

@description('Object id of the group allowed to manage keys (rotation, policies)')
param keyAdminGroupId string

@description('Log Analytics workspace receiving the audit logs')
param logAnalyticsWorkspaceId string

@allowed([2048, 3072])
param keySize int = 3072

param kekName string = 'spaghetti-kek'

@description('Webhook told of key near-expiry and new versions (a Teams or Slack workflow, or an alerting endpoint); empty: none')
@secure()
param rotationWebhookUrl string = ''
param signingKeyName string = 'spaghetti-signing'

var vaultName = 'kv-spaghetti-${environment}'
// Built-in roles: Key Vault Crypto User (wrap/unwrap/sign/verify, read keys), Key Vault Crypto Officer (manage keys).
var cryptoUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '12338af0-0e69-4776-bea7-57ae8d297424')
var cryptoOfficerRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '14b46e9e-c2b7-41b4-b07b-48a6ebf60603')

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'premium'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Deny'
    }
  }
}

var rotationPolicy = {
  attributes: {
    expiryTime: 'P1Y'
  }
  lifetimeActions: [
    {
      trigger: {
        timeAfterCreate: 'P90D'
      }
      action: {
        type: 'rotate'
      }
    }
    {
      trigger: {
        timeBeforeExpiry: 'P30D'
      }
      action: {
        type: 'notify'
      }
    }
  ]
}

resource kek 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: kekName
  properties: {
    kty: 'RSA-HSM'
    keySize: keySize
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    rotationPolicy: rotationPolicy
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: signingKeyName
  properties: {
    kty: 'RSA-HSM'
    keySize: keySize
    keyOps: [
      'sign'
      'verify'
    ]
    rotationPolicy: rotationPolicy
  }
}

// The services may only use the two keys, not list or manage them.
resource kekUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(kek.id, servicePrincipalId, cryptoUserRoleId)
  scope: kek
  properties: {
    roleDefinitionId: cryptoUserRoleId
    principalId: servicePrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource signingUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signingKey.id, servicePrincipalId, cryptoUserRoleId)
  scope: signingKey
  properties: {
    roleDefinitionId: cryptoUserRoleId
    principalId: servicePrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource keyAdmins 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, keyAdminGroupId, cryptoOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: cryptoOfficerRoleId
    principalId: keyAdminGroupId
    principalType: 'Group'
  }
}

// Audit: every key operation (AuditEvent) and the vault's metrics, to the workspace.
resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// Key near-expiry and new-version events of the vault go to the team's webhook, so a rotation, whether the
// vault's policy or an operator made it, is seen in the chat. (The SDK's own notices, crypto.notices, add what
// the services did with it: rewraps and failures.)
resource vaultEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = if (!empty(rotationWebhookUrl)) {
  name: 'evgt-${vault.name}'
  location: location
  properties: {
    source: vault.id
    topicType: 'Microsoft.KeyVault.vaults'
  }
}

resource rotationNotices 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (!empty(rotationWebhookUrl)) {
  parent: vaultEvents
  name: 'key-rotation-notices'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: rotationWebhookUrl
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.KeyVault.KeyNearExpiry'
        'Microsoft.KeyVault.KeyExpired'
        'Microsoft.KeyVault.KeyNewVersionCreated'
      ]
      subjectBeginsWith: kekName
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output vaultUri string = vault.properties.vaultUri
output kekName string = kek.name
output signingKeyName string = signingKey.name
