# syntax=docker/dockerfile:1
# The silo: grains, schedulers, the webhook delivery worker and the schema migrations, with HTTP on 8080 for its
# health, /metrics, /dashboard (and the API, unless ProductEvents__Http__Enabled=false).
# Build from the repository root:  docker build -f deploy/docker/silo.Dockerfile -t product-events-silo .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY deploy/sql/ deploy/sql/
COPY src/ src/
RUN dotnet publish src/Silo/ProductEvents.Silo.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
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
