# syntax=docker/dockerfile:1
# The silo: grains, schedulers, the webhook delivery worker and the schema migrations, with HTTP on 8080 for its
# health, /metrics, /dashboard when ProductEvents__Dashboard__Enabled=true (and the API, unless ProductEvents__Http__Enabled=false).
# Build from the repository root:  docker build --build-arg DOTNET_SDK_IMAGE=... --build-arg ASPNET_RUNTIME_IMAGE=... -f deploy/docker/silo.Dockerfile -t product-events-silo .

# The .NET 10 SDK and ASP.NET Core 10 runtime images, as your registry or mirror serves them (compose.yaml passes
# DOTNET_SDK_IMAGE and ASPNET_RUNTIME_IMAGE from the environment).
ARG DOTNET_SDK_IMAGE
ARG ASPNET_RUNTIME_IMAGE

FROM ${DOTNET_SDK_IMAGE} AS build
WORKDIR /source
# The build installs the web console's charting library with npm (src/Api/WebConsole/package-lock.json).
RUN command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null)
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY deploy/sql/ deploy/sql/
COPY src/ src/
# ReadyToRun: compiled ahead of time for the image's runtime, so a new container does not spend its first minute of load
# compiling (bench/run.sh measures the silo built the same way).
RUN dotnet publish src/Silo/ProductEvents.Silo.csproj -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o /app

FROM ${ASPNET_RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
# HTTP on 8080 on every interface (ASPNETCORE_URLS wins over the image's ASPNETCORE_HTTP_PORTS, emptied to say so);
# Orleans' silo-to-silo and gateway ports. The advertised address is the container's own: set
# Orleans__AdvertisedIPAddress when starting it (a fixed address in compose.yaml, the pod's IP in Kubernetes).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS= \
    Orleans__SiloPort=11111 \
    Orleans__GatewayPort=30000
EXPOSE 8080 11111 30000
# The image's unprivileged user.
USER $APP_UID
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["dotnet", "ProductEvents.Silo.dll", "probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "ProductEvents.Silo.dll"]
