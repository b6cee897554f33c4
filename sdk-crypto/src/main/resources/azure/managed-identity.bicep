// The user-assigned managed identity the platform's services run as (Kubernetes workload identity):
// its principal id goes to key-vault.bicep, its client id to crypto.keyVault.clientId and the
// ServiceAccount annotation in k8s/app.yaml.
param environment string
param location string = resourceGroup().location

@description('OIDC issuer URL of the AKS cluster')
param aksOidcIssuer string

param serviceAccountNamespace string = 'spaghetti'
param serviceAccountName string = 'spaghetti-service'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-spaghetti-services-${environment}'
  location: location
}

resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'aks-${serviceAccountNamespace}-${serviceAccountName}'
  properties: {
    issuer: aksOidcIssuer
    subject: 'system:serviceaccount:${serviceAccountNamespace}:${serviceAccountName}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
