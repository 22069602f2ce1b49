#!/usr/bin/env bash
# Packs ProductEvents.Abstractions and ProductEvents.Client into artifacts/packages and builds the in-cluster client
# sample from those packages, as another service takes them. One argument: the configuration (Debug, the default, or
# Release). The sample is not part of ProductEvents.sln: it needs the packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${1:-Debug}
flags=(-c "$configuration" -nodeReuse:false --disable-build-servers -v quiet -nologo)

dotnet pack src/Abstractions/ProductEvents.Abstractions.csproj "${flags[@]}"
dotnet pack src/Client/ProductEvents.Client.csproj "${flags[@]}"

# The version stays the same from one pack to the next: drop the copies an earlier restore unpacked, or the sample
# would build against them.
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
rm -rf "${packages:?}/productevents.abstractions" "${packages:?}/productevents.client"

dotnet build samples/InClusterClient/InClusterClient.csproj "${flags[@]}"
echo "Built samples/InClusterClient/bin/$configuration/net10.0/InClusterClient.dll from the packages in artifacts/packages"
