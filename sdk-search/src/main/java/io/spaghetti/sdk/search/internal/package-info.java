/** Implementation details of sdk-search; not API. */
package io.spaghetti.sdk.search.internal;
